"""The CSV import's confirm step with Redis refused or hung: it answers at once, writes
every row, and two confirms of one upload arriving together import it once. The lock
that makes it once is the upload's own row in Postgres, not the cache."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from influencers.models import Influencer, PendingImport
from tests.concurrency import race
from tests.redis_outage import KINDS, redis_down

IMPORT = reverse("influencers:import")
CONFIRM = reverse("influencers:import_confirm")
ROWS = 40
CSV = "name,email\n" + "".join(f"Creator {n},creator{n}@inbox.test\n" for n in range(ROWS))
BOUND = 2.0


def upload(client: Client) -> str:
    response = client.post(IMPORT, {"file": SimpleUploadedFile("roster.csv", CSV.encode())})
    assert response.status_code == 302, response.content.decode()[:2000]
    return parse_qs(urlsplit(response.url).query)["token"][0]


@pytest.mark.parametrize("kind", KINDS)
def test_confirm_imports_every_row_within_two_seconds(kind, marketer_client, settings):
    with redis_down(kind, settings):
        token = upload(marketer_client)
        assert marketer_client.get(f"{CONFIRM}?token={token}").status_code == 200
        started = time.monotonic()
        response = marketer_client.post(CONFIRM, {"token": token})
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response.url == reverse("influencers:list")
    assert elapsed < BOUND
    assert Influencer.objects.count() == ROWS
    assert not PendingImport.objects.filter(token=token).exists()


@pytest.mark.parametrize("kind", ("available", *KINDS))
def test_two_confirms_at_once_import_the_file_once(kind, transactional_db, marketer, settings):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(marketer)
    token = upload(clients[0])

    def confirm(client):
        return lambda: client.post(CONFIRM, {"token": token})

    if kind == "available":
        results = race(*(confirm(client) for client in clients))
    else:
        with redis_down(kind, settings):
            results = race(*(confirm(client) for client in clients))

    assert [type(r).__name__ for r in results if isinstance(r, Exception)] == []
    assert sorted(r.status_code for r in results) in ([200, 302], [302, 302])
    assert Influencer.objects.count() == ROWS
    assert Influencer.objects.values("email").distinct().count() == ROWS
    assert not PendingImport.objects.exists()
