"""The terms document: the page, its hash, the PDF, and the shared partial."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from partnerships import selectors
from partnerships.models import TermsVersion
from partnerships.terms import content as terms
from partnerships.terms import document
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, make_partnership

from .test_terms_views import first_row, terms_post


def doc_url(partnership, number=1) -> str:
    return reverse("partnerships:terms_document", args=[partnership.pk, number])


def pdf_url(partnership, number=1) -> str:
    return reverse("partnerships:terms_pdf", args=[partnership.pk, number])


def v(partnership, number=1) -> TermsVersion:
    return partnership.versions.get(number=number)


def test_document_reads_as_plain_terms(marketer_client, partnership):
    response = marketer_client.get(doc_url(partnership))
    body = response.content.decode()
    assert response.status_code == 200
    campaign = partnership.campaign
    for text in (
        campaign.brand,
        campaign.name,
        partnership.influencer.name,
        "What you'll create",
        "2 × Reel, due 15 Dec 2026",
        "Show the cup",
        "Cash fee: MYR 1,500.00",
        "Landing-page sessions: 2,000",
        "Bonus of MYR 300.00 when it reaches 3,000",
        "Every piece must include",
        "<li>Say it is Kopi Kita</li>",
        "Your creative freedom",
        "No approval needed",
        "We will not reuse your content.",
        "None: you are free to work with other brands.",
        "Mark every piece clearly as a paid partnership: #ad",
        "We pay within 30 days of receiving your invoice.",
    ):
        assert text in body, text
    # The must-haves come before the freedom, which is labelled as such.
    assert body.index("Every piece must include") < body.index("Your creative freedom")


def test_draft_document_shows_a_live_hash_and_says_it_is_a_draft(marketer_client, partnership):
    version = v(partnership)
    body = marketer_client.get(doc_url(partnership)).content.decode()
    digest = terms.version_digest(version)
    fingerprint = f"{digest[:4]} {digest[4:8]} {digest[8:12]}"
    assert (
        f'Version 1 · Fingerprint <code class="terms-hash" data-fingerprint>{fingerprint}<' in body
    )
    assert f'SHA-256 <code class="terms-hash">{digest}</code>' in body
    assert body.index("<details") < body.index(digest) < body.index("</details>")
    assert "Draft — not yet proposed" in body


def test_proposed_document_shows_the_frozen_hash(marketer_client, marketer, partnership):
    version = terms_services.terms_propose(version=v(partnership), by=marketer)
    body = marketer_client.get(doc_url(partnership)).content.decode()
    assert version.sha256 == terms.version_digest(version)
    assert version.sha256 in body
    assert "Draft — not yet proposed" not in body
    assert "not yet accepted" in body


def test_accepted_document_says_by_whom_and_when(
    marketer_client, marketer, influencer_user, partnership
):
    version = terms_services.terms_propose(version=v(partnership), by=marketer)
    acceptance = terms_services.terms_accept(
        version=version, by=influencer_user, ip=None, user_agent=""
    )
    body = marketer_client.get(doc_url(partnership)).content.decode()
    date = date_format(timezone.localtime(acceptance.accepted_at), "j M Y")
    assert f"Accepted by Ina Creator on {date}" in body


def test_document_page_has_print_and_pdf_buttons_without_inline_script(
    marketer_client, partnership
):
    body = marketer_client.get(doc_url(partnership)).content.decode()
    assert "data-print" in body
    assert "js/print.js" in body
    assert "css/document.css" in body
    assert pdf_url(partnership) in body
    assert "onclick" not in body


def test_missing_version_is_404(marketer_client, partnership):
    assert marketer_client.get(doc_url(partnership, 2)).status_code == 404
    assert marketer_client.get(pdf_url(partnership, 2)).status_code == 404


# --- The hash ----------------------------------------------------------------------


def test_digest_is_stable_for_equal_content(marketer, partnership):
    version = selectors.version_for_user(marketer, partnership.pk, 1)
    assert terms.digest(terms.canonical(version)) == terms.digest(terms.canonical(version))
    terms_services.terms_propose(version=version, by=marketer)
    copy = terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)
    assert copy.number == 2
    assert terms.version_digest(copy) == v(partnership, 1).sha256


def _must_have(version):
    return {"fields": {"brief_must_haves": "Say it is Kopi Kita!\n#ad"}}


def _due_date(version):
    return first_row(version, "deliverables", due_on="2026-12-16")


def _amount(version):
    return first_row(version, "compensation", amount="1500.01")


def _kpi_target(version):
    return first_row(version, "kpis", target=2001)


def _disclosure(version):
    return {"fields": {"disclosure_rule": "#iklan"}}


@pytest.mark.parametrize("change", [_must_have, _due_date, _amount, _kpi_target, _disclosure])
def test_any_single_change_gives_a_different_hash(marketer_client, partnership, change):
    url = reverse("partnerships:terms_edit", args=[partnership.pk])
    original = terms.version_digest(v(partnership))

    response = marketer_client.post(url, terms_post(v(partnership), **change(v(partnership))))
    assert response.status_code == 302
    changed = terms.version_digest(v(partnership))
    assert changed != original

    # Saving the page unchanged keeps the hash: it depends on content only.
    marketer_client.post(url, terms_post(v(partnership)))
    assert terms.version_digest(v(partnership)) == changed


# --- Queries -----------------------------------------------------------------------


def _with_deliverables(marketer, count: int):
    partnership = make_partnership(by=marketer)
    channels = [ChannelFactory(influencer=partnership.influencer) for _ in range(3)]
    version = v(partnership)
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields={"brief_must_haves": ["#ad"]},
            deliverables=[
                {
                    "channel": channels[n % 3],
                    "format": "post",
                    "quantity": 1,
                    "due_on": datetime.date(2026, 12, 1) + datetime.timedelta(days=n),
                    "requirements": "",
                }
                for n in range(count)
            ],
            compensation=[
                {"kind": "cash", "amount": Decimal("100"), "currency": "MYR"},
                {"kind": "perk", "description": "A shout-out for your album", "currency": "MYR"},
            ],
            kpis=[{"metric": "views", "target": 1000, "bonus_tiers": []}],
        ),
    )
    return partnership


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_document_query_count_does_not_grow_with_deliverables(marketer_client, marketer):
    few = _with_deliverables(marketer, 3)
    many = _with_deliverables(marketer, 12)
    assert v(many).deliverables.count() == 12
    marketer_client.get("/")  # the first view after login saves the session once
    assert _count_queries(marketer_client, doc_url(few)) == _count_queries(
        marketer_client, doc_url(many)
    )


# --- PDF ---------------------------------------------------------------------------


def test_pdf_download(marketer_client, partnership):
    response = marketer_client.get(pdf_url(partnership))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    campaign_slug = partnership.campaign.name.lower().replace(" ", "-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="terms-{campaign_slug}-ina-creator-v1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert b"%%EOF" in response.content[-32:]
    assert len(response.content) > 5_000


def test_viewer_may_download_the_pdf(viewer_client, partnership):
    response = viewer_client.get(pdf_url(partnership))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def _page_text(box) -> str:
    own = getattr(box, "text", "")
    return own + " ".join(_page_text(child) for child in getattr(box, "children", []))


def test_pdf_of_a_long_document_fits_two_pages_and_ends_with_version_and_hash(marketer):
    partnership = _with_deliverables(marketer, 12)
    version = selectors.version_for_user(marketer, partnership.pk, 1)
    pages = document.render_terms_layout(version).pages
    assert 1 <= len(pages) <= 2
    first, last = _page_text(pages[0]._page_box), _page_text(pages[-1]._page_box)
    assert "What you" in first
    assert "Version 1" in last
    assert terms.version_digest(version) in last
    assert "Draft" in last


def test_pdf_fetcher_only_reads_static_files(settings):
    from weasyprint.urls import URLFetchingError
    from weasyprint.urls import fetch as weasy_fetch

    static = Path(settings.STATICFILES_DIRS[0])
    fetcher = document.static_files_only([static])
    for url in (
        "http://example.com/x.css",
        "https://example.com/x.png",
        "file:///etc/passwd",
        (static / ".." / "manage.py").as_uri(),
    ):
        with pytest.raises(URLFetchingError), weasy_fetch(fetcher, url):
            pass
    css = static / "css" / "document.css"
    with weasy_fetch(fetcher, css.as_uri()) as resource:
        assert b".terms-doc" in resource.read()


def test_partial_renders_on_its_own_for_the_portal(marketer, partnership):
    version = selectors.version_for_user(marketer, partnership.pk, 1)
    html = render_to_string(
        "partnerships/_terms_body.html", document.terms_document_context(version)
    )
    assert terms.version_digest(version) in html
    assert "<nav" not in html
    assert "data-print" not in html
