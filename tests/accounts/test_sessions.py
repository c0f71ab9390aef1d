"""The idle timeout holds without a session write on every page view."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.sessions import REFRESHED_AT
from tests.factories import PASSWORD


def _login(client, user) -> Session:
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return Session.objects.get(pk=client.session.session_key)


def _session_writes(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def test_a_page_view_soon_after_login_writes_no_session(client, marketer):
    _login(client, marketer)

    assert _session_writes(client, "/") == []
    assert _session_writes(client, "/campaigns/") == []


def test_a_page_view_after_the_refresh_interval_pushes_the_expiry_back(client, marketer):
    session = _login(client, marketer)
    # As if the last save was a little more than the refresh interval ago.
    ago = datetime.timedelta(seconds=settings.SESSION_REFRESH_AFTER + 5)
    store = client.session
    store[REFRESHED_AT] -= int(ago.total_seconds())
    store.save()
    old_expiry = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE) - ago
    Session.objects.filter(pk=session.pk).update(expire_date=old_expiry)

    assert len(_session_writes(client, "/")) == 1

    refreshed = Session.objects.get(pk=session.pk)
    assert refreshed.expire_date > old_expiry + ago - datetime.timedelta(minutes=1)
    assert refreshed.get_decoded()[REFRESHED_AT] >= int(timezone.now().timestamp()) - 60
    # …and the next view is quiet again.
    assert _session_writes(client, "/") == []


def test_a_session_idle_past_its_age_signs_the_user_out(client, marketer):
    session = _login(client, marketer)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get("/campaigns/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_anonymous_visit_creates_no_session(client, db):
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == 0
