"""The Data sources pages, the admin, /healthz and `collect_metrics`: who may do what,
and the credential never shown back."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from collectors.models import Connection, Provider, State
from collectors.services import connection_create
from tests.factories import ChannelFactory

SECRET = "AIzaSy-page-test-secret-4242"


@pytest.fixture
def connection(marketer, fake_providers):
    channel = ChannelFactory(platform="youtube", account_id="UC_pages")
    return connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential=SECRET, name="Kopi YouTube",
        channel=channel, base_url=f"{fake_providers.url}/youtube/v3",
    )  # fmt: skip


def assert_no_secret(response):
    html = response.content.decode()
    assert SECRET not in html and SECRET[:-4] not in html


def test_marketer_sees_state_last_and_next_run(
    marketer_client, connection, django_assert_max_num_queries
):
    for n in range(5):
        connection_create(
            by=connection.owner, provider=Provider.PLAUSIBLE, credential=f"{SECRET}{n}",
            name=f"Site {n}", site_id=f"site{n}.example",
        )  # fmt: skip
    with django_assert_max_num_queries(8):
        response = marketer_client.get(reverse("collectors:list"))
    assert response.status_code == 200
    assert "Kopi YouTube" in response.content.decode() and "Working" in response.content.decode()
    assert_no_secret(response)


def test_edit_form_shows_only_the_masked_credential(marketer_client, connection):
    response = marketer_client.get(reverse("collectors:edit", args=[connection.pk]))
    assert "••••4242" in response.content.decode()
    assert_no_secret(response)


def test_a_refused_form_does_not_echo_the_credential(marketer_client, connection):
    response = marketer_client.post(
        reverse("collectors:create"),
        {"provider": "matomo", "name": "Matomo", "site_id": "1", "credential": SECRET},
    )
    assert response.status_code == 200  # base URL missing
    assert "Give the address of your Matomo." in response.content.decode()
    assert_no_secret(response)


def test_marketer_adds_a_data_source(marketer_client, marketer):
    response = marketer_client.post(
        reverse("collectors:create"),
        {"provider": "plausible", "name": "Shop", "site_id": "shop.example", "credential": SECRET},
    )
    assert response.status_code == 302
    added = Connection.objects.get(name="Shop")
    assert added.owner == marketer and added.credential_masked == "••••4242"


def test_blank_credential_on_edit_keeps_it(marketer_client, connection):
    before = connection.credential_encrypted
    response = marketer_client.post(
        reverse("collectors:edit", args=[connection.pk]),
        {"name": "Renamed", "channel": connection.channel_id, "credential": ""},
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.name == "Renamed" and connection.credential_encrypted == before


def test_pull_now_pause_and_resume(marketer_client, connection):
    Connection.objects.filter(pk=connection.pk).update(
        next_run_at=timezone.now() + datetime.timedelta(days=1)
    )
    marketer_client.post(reverse("collectors:pull_now", args=[connection.pk]))
    connection.refresh_from_db()
    assert connection.next_run_at <= timezone.now()
    marketer_client.post(reverse("collectors:pause", args=[connection.pk]))
    connection.refresh_from_db()
    assert connection.state == State.PAUSED
    marketer_client.post(reverse("collectors:resume", args=[connection.pk]))
    connection.refresh_from_db()
    assert connection.state == State.OK


@pytest.mark.parametrize("name", ["create", "edit", "pull_now", "pause", "resume"])
def test_viewer_reads_but_cannot_write(viewer_client, connection, name):
    assert viewer_client.get(reverse("collectors:list")).status_code == 200
    args = [] if name == "create" else [connection.pk]
    assert viewer_client.post(reverse(f"collectors:{name}", args=args)).status_code == 403


def test_influencer_gets_no_data_sources(influencer_client, connection):
    assert influencer_client.get(reverse("collectors:list")).status_code in (403, 404)


def test_unknown_connection_is_404(marketer_client):
    assert marketer_client.get(reverse("collectors:edit", args=[999999])).status_code == 404


def test_admin_shows_no_credential(admin_client, connection):
    for url in (
        reverse("admin:collectors_connection_changelist"),
        reverse("admin:collectors_connection_change", args=[connection.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert_no_secret(response)
        assert connection.credential_encrypted not in response.content.decode()


def test_healthz_reports_overdue_sources(client, connection, settings):
    from metrics.services import heartbeat_record

    heartbeat_record()
    assert client.get("/healthz").json()["checks"]["collectors"]["ok"] is True
    Connection.objects.filter(pk=connection.pk).update(
        next_run_at=timezone.now()
        - datetime.timedelta(seconds=settings.COLLECTORS_OVERDUE_SECONDS + 60)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["collectors"]
    assert response.json()["checks"]["collectors"]["overdue"] == 1


def test_collect_metrics_pulls_now(connection):
    out = io.StringIO()
    call_command("collect_metrics", "--provider", "youtube", stdout=out)
    assert f"{connection.pk} Kopi YouTube: pulled, state ok" in out.getvalue()
    assert SECRET not in out.getvalue()


def test_an_error_report_hides_the_posted_credential(marketer, rf, monkeypatch):
    """Django's 500 report (emailed to admins) shows POST data and local variables: the
    credential is marked sensitive in the views and services that hold it."""
    from django.views.debug import ExceptionReporter

    from collectors import views
    from common import crypto

    def broken(plain: str) -> str:
        raise RuntimeError("the key store is on fire")

    monkeypatch.setattr(crypto, "encrypt", broken)
    data = {
        "provider": "plausible",
        "name": "Shop",
        "site_id": "shop.example",
        "credential": SECRET,
    }
    request = rf.post("/data-sources/new/", data)
    request.user = marketer
    with pytest.raises(RuntimeError) as caught:
        views.connection_create(request)
    report = ExceptionReporter(request, caught.type, caught.value, caught.tb).get_traceback_text()
    assert "the key store is on fire" in report  # the report is real...
    assert SECRET not in report  # ...and leaves the credential out


def test_my_day_lists_the_owners_sources_needing_credentials(
    marketer_client, connection, fake_providers
):
    from collectors.pulling import pull

    fake_providers.queue("youtube", "expired")
    pull(connection.pk)
    body = marketer_client.get("/").content.decode()
    assert "Data sources to fix" in body and "Kopi YouTube" in body
    assert "Needs new credentials" in body
    assert_no_secret(marketer_client.get("/"))


def test_an_old_error_moves_to_recent_errors_after_a_success(
    marketer_client, connection, fake_providers
):
    from collectors.pulling import pull

    fake_providers.queue("youtube", "500")
    pull(connection.pk)
    body = marketer_client.get(reverse("collectors:list")).content.decode()
    assert (
        body.count("YouTube had a server error (HTTP 500).") == 2
    )  # under the badge and in the history
    Connection.objects.filter(pk=connection.pk).update(next_run_at=timezone.now())
    pull(connection.pk)
    body = marketer_client.get(reverse("collectors:list")).content.decode()
    assert body.count("YouTube had a server error (HTTP 500).") == 1  # only in the history
