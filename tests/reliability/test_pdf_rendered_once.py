"""A proposed terms version is frozen, so its PDF is rendered once (by a worker at
proposal, else by the first download) and served from the database with its hash
(issue 11: "PDFs")."""

import hashlib
import logging

import pytest
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from partnerships import tasks
from partnerships.models import TermsPdf
from partnerships.terms import document, pdfs
from partnerships.terms import services as terms_services
from tests.concurrency import race
from tests.factories import ChannelFactory, make_partnership


@pytest.fixture(autouse=True)
def render_at_proposal(settings):
    settings.TERMS_PDF_AT_PROPOSAL = True


@pytest.fixture
def renders(monkeypatch) -> list:
    """Every PDF rendered, as (version number, language) in order."""
    from django.utils import translation

    done: list = []
    real = document.render_terms_pdf

    def counted(version):
        done.append((version.number, translation.get_language()))
        return real(version)

    monkeypatch.setattr(document, "render_terms_pdf", counted)
    return done


@pytest.fixture
def partnership(marketer, influencer_user):
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    return make_partnership(by=marketer, channel=channel)


def propose(partnership, marketer, capture, *, deliver: bool = True):
    with capture(execute=deliver):
        return terms_services.terms_propose(version=partnership.versions.get(), by=marketer)


def marketer_pdf(client, partnership, **headers):
    return client.get(reverse("partnerships:terms_pdf", args=[partnership.pk, 1]), **headers)


def portal_pdf(client, partnership):
    return client.get(reverse("portal:terms_pdf", args=[partnership.pk, 1]))


def test_a_frozen_versions_pdf_is_rendered_once_however_often_it_is_downloaded(
    marketer_client, influencer_user, marketer, partnership, renders,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    propose(partnership, marketer, django_capture_on_commit_callbacks)
    # The proposal's task rendered it in each language, before anyone asked.
    assert sorted(renders) == [(1, "en"), (1, "ms")]

    influencer = Client()
    influencer.force_login(influencer_user)
    responses = [marketer_pdf(marketer_client, partnership) for _ in range(4)]
    responses += [portal_pdf(influencer, partnership) for _ in range(3)]

    assert len(renders) == 2
    bodies = {response.content for response in responses}
    assert len(bodies) == 1
    body = bodies.pop()
    assert body.startswith(b"%PDF")
    stored = TermsPdf.objects.get(version__number=1, language="en", accepted=False)
    assert bytes(stored.pdf) == body
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    for response in responses:
        assert response.status_code == 200
        assert response["ETag"] == f'"{stored.sha256}"'
        assert response["Content-Disposition"].endswith('-ina-creator-v1.pdf"')
        assert "no-store" in response["Cache-Control"]


def test_with_the_broker_down_the_first_download_renders_and_stores_it_once(
    marketer_client, marketer, partnership, renders, monkeypatch, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    def broker_refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_terms_pdfs, "apply_async", broker_refused)
    with caplog.at_level(logging.WARNING, logger="common.queue"):
        version = propose(partnership, marketer, django_capture_on_commit_callbacks)
    assert version.proposed_at is not None  # the proposal stands
    assert "could not publish partnerships.render_terms_pdfs" in caplog.text
    assert renders == []

    first = marketer_pdf(marketer_client, partnership)
    again = marketer_pdf(marketer_client, partnership)

    assert renders == [(1, "en")]
    assert first.content == again.content
    assert first["ETag"] == again["ETag"]


def test_an_unchanged_pdf_answers_not_modified(
    marketer_client, marketer, partnership, django_capture_on_commit_callbacks
):
    propose(partnership, marketer, django_capture_on_commit_callbacks)
    etag = marketer_pdf(marketer_client, partnership)["ETag"]

    response = marketer_pdf(marketer_client, partnership, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_each_language_and_the_acceptance_get_their_own_pdf_each_rendered_once(
    marketer, influencer_user, partnership, renders, django_capture_on_commit_callbacks
):
    version = propose(partnership, marketer, django_capture_on_commit_callbacks, deliver=False)
    proposed = pdfs.terms_pdf_get_or_render(version=version, language="en")
    in_malay = pdfs.terms_pdf_get_or_render(version=version, language="ms")
    assert proposed.sha256 != in_malay.sha256
    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_accept(version=version, by=influencer_user, ip=None, user_agent="")
    # The acceptance's task rendered the PDFs whose footer names it.
    assert sorted(renders) == [(1, "en"), (1, "en"), (1, "ms"), (1, "ms")]

    accepted = pdfs.terms_pdf_get_or_render(version=version, language="en")
    assert accepted.accepted and accepted.sha256 != proposed.sha256
    assert pdfs.terms_pdf_get_or_render(version=version, language="en") == accepted
    assert pdfs.terms_pdfs_render(version_id=version.pk) == 4
    assert len(renders) == 4


def test_a_draft_pdf_is_made_fresh_and_never_stored(marketer_client, partnership, renders):
    response = marketer_pdf(marketer_client, partnership)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "ETag" not in response
    assert not TermsPdf.objects.exists()
    assert renders == [(1, "en")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_downloads_render_it_once(marketer, influencer_user, renders, monkeypatch):
    monkeypatch.setattr(tasks.render_terms_pdfs, "apply_async", lambda *a, **k: None)  # lost
    channel = ChannelFactory(influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)

    results = race(*[lambda: pdfs.terms_pdf_get_or_render(version=version, language="en")] * 4)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert {stored.pk for stored in results} == {TermsPdf.objects.get().pk}
    assert renders == [(1, "en")]


def test_every_pdf_shares_one_font_configuration(partnership, monkeypatch):
    from weasyprint.text import fonts

    made = []

    class Counted(fonts.FontConfiguration):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(fonts, "FontConfiguration", Counted)
    monkeypatch.setattr(document, "_fonts", None)
    version = partnership.versions.get()
    for _ in range(3):
        assert document.render_terms_pdf(version).startswith(b"%PDF")

    assert len(made) == 1
    assert document.font_configuration() is made[0]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_weasyprint_logs_no_warnings_for_the_document_stylesheet(partnership):
    handler = Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        pdf = document.render_terms_pdf(partnership.versions.get())
    finally:
        logger.removeHandler(handler)

    assert pdf.startswith(b"%PDF")
    assert [record.getMessage() for record in handler.records] == []
