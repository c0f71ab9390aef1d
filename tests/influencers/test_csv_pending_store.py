"""Uploads waiting for confirmation live in PendingImport, not in the session: found by
token and uploader, expiring after an hour, gone once imported, purged on upload."""

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from influencers import services
from influencers.models import PENDING_IMPORT_TTL, Influencer, PendingImport

IMPORT = reverse("influencers:import")
CONFIRM = reverse("influencers:import_confirm")
# The login, and when the session was last saved (accounts.sessions).
AUTH_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash", "_refreshed_at"}


def upload(client, content: str, filename: str = "roster.csv") -> str:
    """Upload a file; returns the token the preview URL carries."""
    response = client.post(
        IMPORT, {"file": SimpleUploadedFile(filename, content.encode(), "text/csv")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return parse_qs(urlsplit(response.url).query)["token"][0]


def age(token: str, by: timedelta) -> None:
    PendingImport.objects.filter(token=token).update(created_at=timezone.now() - by)


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client


def test_the_upload_waits_in_the_database_and_not_in_the_session(marketer_client, marketer):
    rows = "".join(f"Creator Number {n},creator{n}@example.com\n" for n in range(2000))
    token = upload(marketer_client, "name,email\n" + rows, filename="big roster.csv")

    pending = PendingImport.objects.get()
    assert str(pending.token) == token and uuid.UUID(token).version == 4
    assert (pending.uploaded_by, pending.filename) == (marketer, "big roster.csv")
    assert pending.text.startswith("name,email\nCreator Number 0,")
    assert_session_holds_nothing_of(marketer_client, token)
    assert marketer_client.get(CONFIRM, {"token": token}).status_code == 200
    assert_session_holds_nothing_of(marketer_client, token)


def assert_session_holds_nothing_of(client, token: str) -> None:
    session = client.session
    stored = session.encode(dict(session))
    assert set(session.keys()) <= AUTH_KEYS
    assert len(stored) < 1000  # the file is about 70 kB
    assert token not in stored


def test_the_preview_shows_the_stored_file(marketer_client):
    token = upload(marketer_client, "name\nAina\n", filename="aina.csv")

    response = marketer_client.get(CONFIRM, {"token": token})

    html = response.content.decode()
    assert response.status_code == 200
    assert "aina.csv" in html and "Aina" in html
    assert f'name="token" value="{token}"' in html


def test_confirming_imports_and_deletes_the_upload(marketer_client):
    token = upload(marketer_client, "name\nAina\nBob\n")

    response = marketer_client.post(CONFIRM, {"token": token})

    assert response.status_code == 302 and response.url == reverse("influencers:list")
    assert Influencer.objects.count() == 2
    assert not PendingImport.objects.exists()
    assert_session_holds_nothing_of(marketer_client, token)


def test_a_refused_import_keeps_the_upload_for_another_look(marketer_client):
    token = upload(marketer_client, "name,email\nAina,not-an-email\n")

    response = marketer_client.post(CONFIRM, {"token": token})

    assert "Nothing was imported" in response.content.decode()
    assert PendingImport.objects.filter(token=token).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_token_is_404(marketer_client, manager_client, method):
    token = upload(marketer_client, "name\nAina\n")

    response = getattr(manager_client, method)(CONFIRM, {"token": token})

    assert response.status_code == 404
    assert Influencer.objects.count() == 0
    assert PendingImport.objects.filter(token=token).exists()
    assert marketer_client.get(CONFIRM, {"token": token}).status_code == 200


@pytest.mark.parametrize("token", ["0f8fad5b-d9cb-469f-a165-70867728950e", "not-a-uuid", ""])
def test_a_token_nobody_has_sends_back_to_the_upload_page(marketer_client, token):
    response = marketer_client.get(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(IMPORT, 302)]
    assert "That import has expired or is done." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_upload_says_so_and_offers_the_upload_form(marketer_client, method):
    token = upload(marketer_client, "name\nAina\n")
    age(token, PENDING_IMPORT_TTL + timedelta(seconds=1))

    response = getattr(marketer_client, method)(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(IMPORT, 302)]
    html = response.content.decode()
    assert "This upload has expired" in html and "60 minutes" in html
    assert 'enctype="multipart/form-data"' in html  # the upload form, to try again
    assert not PendingImport.objects.exists()
    assert Influencer.objects.count() == 0


def test_an_upload_just_inside_the_hour_still_imports(marketer_client):
    token = upload(marketer_client, "name\nAina\n")
    age(token, PENDING_IMPORT_TTL - timedelta(minutes=1))

    assert marketer_client.post(CONFIRM, {"token": token}).status_code == 302
    assert Influencer.objects.get().name == "Aina"


def test_a_new_upload_purges_everyones_expired_uploads(marketer_client, manager_client):
    stale = upload(manager_client, "name\nStale\n")
    fresh = upload(manager_client, "name\nFresh\n")
    age(stale, PENDING_IMPORT_TTL + timedelta(minutes=5))

    mine = upload(marketer_client, "name\nMine\n")

    assert {str(t) for t in PendingImport.objects.values_list("token", flat=True)} == {fresh, mine}


def test_each_person_keeps_only_their_newest_uploads(marketer_client, manager_client):
    theirs = upload(manager_client, "name\nTheirs\n")
    tokens = [upload(marketer_client, f"name\nPerson {n}\n") for n in range(4)]
    for n, token in enumerate(tokens):  # distinct ages, oldest first
        age(token, timedelta(minutes=10 - n))

    upload(marketer_client, "name\nOne more\n")

    kept = {str(t) for t in PendingImport.objects.values_list("token", flat=True)}
    assert len(kept) == services.KEEP_PENDING_IMPORTS + 1
    assert theirs in kept and tokens[-1] in kept
    assert tokens[0] not in kept and tokens[1] not in kept


def test_store_trims_a_long_file_name(marketer):
    pending = services.pending_import_store(by=marketer, filename="x" * 300 + ".csv", text="name\n")

    assert len(pending.filename) == 200


def test_a_pending_import_must_hold_text(marketer):
    with pytest.raises(IntegrityError):
        PendingImport.objects.create(uploaded_by=marketer, filename="empty.csv", text="")


def test_expiry_is_decided_by_the_model(marketer):
    pending = PendingImport(uploaded_by=marketer, filename="a.csv", text="name\nA\n")
    now = pending.created_at

    assert not pending.is_expired(now + PENDING_IMPORT_TTL)
    assert pending.is_expired(now + PENDING_IMPORT_TTL + timedelta(microseconds=1))
