"""The daily digest: the right people, at their local hour, exactly once a day."""

import datetime
import time
import uuid
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail
from config.celery import app
from partnerships.relationships import services as rel
from tests.factories import ChannelFactory, UserFactory
from today.digest import digest_key, digest_send, due_digests
from today.tasks import send_digest, send_due_digests

UTC = datetime.UTC


def with_something_due(user):
    influencer = ChannelFactory(influencer__owner=user).influencer
    rel.follow_up_create(
        influencer=influencer,
        what=f"Call back for {user.email}",
        due_on=datetime.date(2026, 11, 20),
        assignee=user,
        by=user,
    )


@pytest.fixture
def kl(db):
    user = UserFactory(email="kl@brand.test", role="manager", time_zone="Asia/Kuala_Lumpur")
    user.digest_hour = 8
    user.save()
    with_something_due(user)
    return user


@pytest.fixture
def london(db):
    user = UserFactory(email="utc@brand.test", role="manager", time_zone="UTC")
    user.digest_hour = 8
    user.save()
    with_something_due(user)
    return user


def test_digest_lists_the_marketers_own_day(kl):
    assert digest_send(user=kl, local_date=datetime.date(2026, 11, 27)) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kl@brand.test"]
    assert "Call back for kl@brand.test" in message.body
    assert "Overdue follow-ups" in message.body


def test_a_long_section_lists_its_first_items_and_counts_the_rest(kl):
    from today.my_day import SECTION_LIMIT

    influencer = ChannelFactory(influencer__owner=kl).influencer
    for n in range(SECTION_LIMIT + 2):  # with kl's own: SECTION_LIMIT + 3 overdue
        rel.follow_up_create(
            influencer=influencer,
            what=f"Chase {n}",
            due_on=datetime.date(2026, 11, 21),
            assignee=kl,
            by=kl,
        )
    assert digest_send(user=kl, local_date=datetime.date(2026, 11, 27)) is True
    message = mail.outbox[0]
    assert message.body.count("Chase ") + 1 == SECTION_LIMIT  # kl's own comes first
    assert "- and 3 more\n" in message.body
    assert f"{SECTION_LIMIT + 3} things to follow up" in message.subject


def test_running_twice_sends_once(kl):
    day = datetime.date(2026, 11, 27)
    assert digest_send(user=kl, local_date=day) is True
    assert digest_send(user=kl, local_date=day) is False
    send_digest.delay(kl.pk, day.isoformat())
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(key=digest_key(kl, day)).sent_at is not None


def test_a_failed_send_can_be_retried_without_duplicates(kl, monkeypatch):
    from accounts import outbox

    day = datetime.date(2026, 11, 27)
    monkeypatch.setattr(
        outbox.EmailMessage, "send", lambda *a, **k: (_ for _ in ()).throw(OSError("smtp down"))
    )
    assert digest_send(user=kl, local_date=day) is False  # recorded on the row, retried later
    monkeypatch.undo()
    email = OutgoingEmail.objects.get(key=digest_key(kl, day))
    assert "smtp down" in email.last_error
    OutgoingEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
    assert digest_send(user=kl, local_date=day) is True
    assert digest_send(user=kl, local_date=day) is False
    assert len(mail.outbox) == 1


def test_a_claim_abandoned_by_a_killed_worker_is_taken_over_later(kl):
    day = datetime.date(2026, 11, 27)
    stale = timezone.now() - datetime.timedelta(hours=1)
    OutgoingEmail.objects.create(
        key=digest_key(kl, day),
        subject="Your day",
        body="Call back",
        recipients=[kl.email],
        claimed_at=stale,
    )
    assert digest_send(user=kl, local_date=day) is True
    assert len(mail.outbox) == 1


def test_switched_off_digest_is_not_sent(kl):
    kl.digest_enabled = False
    kl.save()
    assert due_digests(datetime.datetime(2026, 11, 27, 3, 0, tzinfo=UTC)) == []


def test_viewers_get_digests_influencers_do_not(db):
    viewer = UserFactory(role="viewer", time_zone="UTC")
    UserFactory(role="influencer", time_zone="UTC")
    due = due_digests(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert [user for user, _ in due] == [viewer]


@pytest.mark.parametrize(
    ("utc_now", "expected"),
    [
        # 23:30 UTC on the 26th is 07:30 on the 27th in KL: too early for KL (08:00),
        # and past 08:00 in UTC for the 26th.
        (datetime.datetime(2026, 11, 26, 23, 30, tzinfo=UTC), {"utc": datetime.date(2026, 11, 26)}),
        # 00:15 UTC on the 27th is 08:15 in KL: KL's digest for the 27th is due, while
        # in UTC it is just after midnight: nothing for the 27th yet.
        (datetime.datetime(2026, 11, 27, 0, 15, tzinfo=UTC), {"kl": datetime.date(2026, 11, 27)}),
        # 08:05 UTC on the 27th: both are due for the 27th.
        (
            datetime.datetime(2026, 11, 27, 8, 5, tzinfo=UTC),
            {"kl": datetime.date(2026, 11, 27), "utc": datetime.date(2026, 11, 27)},
        ),
    ],
)
def test_local_hour_and_local_date_across_midnight(kl, london, utc_now, expected):
    due = {("kl" if u == kl else "utc"): day for u, day in due_digests(utc_now)}
    assert due == expected


def test_an_already_sent_day_is_not_due_again(kl):
    now = datetime.datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 in KL
    digest_send(user=kl, local_date=now.astimezone(ZoneInfo("Asia/Kuala_Lumpur")).date())
    assert [u for u, _ in due_digests(now)] == []


def test_beat_task_queues_the_due_digests(kl, london, monkeypatch):
    fixed = datetime.datetime(2026, 11, 27, 8, 5, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    assert send_due_digests.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["kl@brand.test", "utc@brand.test"]
    send_due_digests.delay()  # beat fires again: nothing more
    assert len(mail.outbox) == 2


def test_a_marketer_can_switch_the_digest_off(client, kl):
    client.force_login(kl)
    response = client.post(
        reverse("preferences"),
        {"full_name": "KL", "time_zone": "Asia/Kuala_Lumpur", "digest_hour": "9"},
    )
    assert response.status_code == 302
    kl.refresh_from_db()
    assert (kl.digest_enabled, kl.digest_hour) == (False, 9)


@pytest.mark.slow
def test_real_worker_racing_deliveries_send_one_email(transactional_db):
    """A real Celery worker on real Redis runs the same task four times at once."""
    user = UserFactory(email="race@brand.test", role="manager", time_zone="UTC")
    with_something_due(user)
    queue = f"test-digest-{uuid.uuid4().hex[:8]}"
    day = "2026-11-27"
    finished: list[bool] = []

    def record(sender=None, retval=None, **kwargs):
        # The worker threads run in this process, so their signals reach this list.
        if sender is not None and sender.name == send_digest.name:
            finished.append(retval)

    task_postrun.connect(record, weak=False)
    app.conf.task_always_eager = False
    try:
        # One worker with four threads, each with its own database connection, takes the
        # four deliveries at once. (Two in-process workers would share celery's global
        # shutdown flag: stopping one can leave the other running into the next test.)
        with start_worker(
            app,
            queues=[queue],
            perform_ping_check=False,
            shutdown_timeout=60,
            pool="threads",
            concurrency=4,
        ):
            for _ in range(4):
                send_digest.apply_async((user.pk, day), queue=queue)
            # Wait on the condition, not on the clock: every delivery has run (so a wrong
            # second email would be in the outbox by now). Generous for a loaded machine.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(finished) < 4:
                time.sleep(0.05)
    finally:
        task_postrun.disconnect(record)
        app.conf.task_always_eager = True
        connection.close()
    assert sorted(finished) == [False, False, False, True], finished
    assert [m.to for m in mail.outbox] == [["race@brand.test"]]
    assert OutgoingEmail.objects.filter(key__startswith=f"digest:{user.pk}:").count() == 1


def test_digest_lists_posts_waiting_for_review(kl):
    from partnerships.models import Submission
    from tests.relationships.test_my_day import accepted_partnership

    partnership = accepted_partnership(kl)
    Submission.objects.create(
        partnership=partnership,
        deliverable=partnership.versions.get().deliverables.get(),
        piece=1,
        post_url="https://www.instagram.com/reel/1/",
        submitted_by=partnership.influencer.user,
    )
    assert digest_send(user=kl, local_date=datetime.date(2026, 11, 27)) is True
    body = mail.outbox[0].body
    assert "Posts waiting for your review" in body
    assert partnership.influencer.name in body
    assert f"/partnerships/{partnership.pk}/#review-deliverable-" in body


def test_a_viewers_digest_is_the_team_overview(kl):
    viewer = UserFactory(email="viewer@brand.test", role="viewer")
    assert digest_send(user=viewer, local_date=datetime.date(2026, 11, 27)) is True
    body = mail.outbox[0].body
    assert "Team overview" in body
    assert "Overdue follow-ups: 1" in body  # kl's, due 20 Nov
    assert "Call back for" not in body
