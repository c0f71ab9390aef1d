"""The outbox: an email keyed once is stored once and goes out once, whatever the retries."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from accounts import outbox
from accounts.models import OutgoingEmail


def _enqueue(key="thing:1", subject="Hi", recipients=("a@example.com",), **kwargs):
    return outbox.enqueue(key, subject, "Body", list(recipients), **kwargs)


def test_the_same_key_is_one_row_and_one_email(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _enqueue()
        second = _enqueue(subject="Something else")
    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1
    assert outbox.deliver(first.pk) is False  # already sent by the nudge
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hi"


def test_an_email_is_delivered_only_after_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _enqueue()
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert mail.outbox[0].to == ["a@example.com"]


def test_a_transient_failure_releases_the_claim_and_backs_off(db, monkeypatch):
    email = _enqueue()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(outbox.EmailMessage, "send", broken)
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.claimed_at is None and email.sent_at is None and email.failed_at is None
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert email.send_after > timezone.now()
    monkeypatch.undo()

    assert outbox.deliver(email.pk) is False  # not due yet
    OutgoingEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
    assert outbox.deliver(email.pk) is True
    assert len(mail.outbox) == 1


def test_too_many_attempts_fail_the_email(db, monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = _enqueue()
    monkeypatch.setattr(outbox.EmailMessage, "send", lambda *a, **k: 1 / 0)
    outbox.deliver(email.pk)
    OutgoingEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
    outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.failed_at is not None
    assert email.attempts == 2
    assert "ZeroDivisionError" in email.last_error


def test_a_claim_left_by_a_killed_worker_is_taken_over(db, settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 60
    email = _enqueue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert outbox.deliver(email.pk) is True
    assert len(mail.outbox) == 1


def test_a_fresh_claim_is_left_alone(db):
    email = _enqueue()
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now())
    assert outbox.deliver(email.pk) is False
    assert mail.outbox == []


def test_an_email_is_not_sent_before_its_time(db):
    email = _enqueue(send_after=timezone.now() + datetime.timedelta(minutes=5))
    assert outbox.deliver(email.pk) is False
    assert outbox.sweep() == 0
    assert mail.outbox == []


def test_the_sweeper_delivers_what_the_nudge_missed(db, settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 60
    missed = _enqueue("thing:missed")  # no on_commit ran: as if Redis was down
    stale = _enqueue("thing:stale")
    OutgoingEmail.objects.filter(pk=stale.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    held = _enqueue("thing:held")
    OutgoingEmail.objects.filter(pk=held.pk).update(claimed_at=timezone.now())

    assert outbox.sweep() == 2
    assert sorted(m.subject for m in mail.outbox) == ["Hi", "Hi"]
    assert set(OutgoingEmail.objects.sent().values_list("key", flat=True)) == {
        missed.key,
        stale.key,
    }
    assert outbox.sweep() == 0
    assert len(mail.outbox) == 2


def test_no_recipients_counts_as_done_without_an_email(db):
    email = _enqueue(recipients=())
    assert email.sent_at is not None
    assert outbox.was_sent([email.key]) == {email.key}
    assert outbox.deliver(email.pk) is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    "raw", ["Hello\r\nBcc: x@example.com", "Hello\tthere\x00\x1b now", "  Hello\u2028 there "]
)
def test_subjects_are_one_line(db, raw):
    email = _enqueue(subject=raw)
    assert outbox.deliver(email.pk) is True
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject and "\x00" not in subject
    assert subject.startswith("Hello ")


def test_send_again_gives_a_failed_email_a_fresh_start(db, django_capture_on_commit_callbacks):
    email = _enqueue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        failed_at=timezone.now(), attempts=8, last_error="SMTPRecipientsRefused"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.email_send_again(email=email) is True
    email.refresh_from_db()
    assert email.sent_at is not None and email.failed_at is None
    assert len(mail.outbox) == 1
    assert outbox.email_send_again(email=email) is False  # only failed ones


def test_a_redelivered_acceptance_task_sends_one_email(
    marketer, influencer_user, django_capture_on_commit_callbacks
):
    from partnerships import tasks
    from partnerships.terms import services as terms_services
    from tests.factories import ChannelFactory, make_partnership

    channel = ChannelFactory(influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    with django_capture_on_commit_callbacks(execute=True):
        acceptance = terms_services.terms_accept(
            version=version, by=influencer_user, ip=None, user_agent=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_acceptance.delay(acceptance.pk)  # the broker delivers an old message
    assert [m.to for m in mail.outbox] == [[marketer.email]]
    assert OutgoingEmail.objects.filter(key=f"acceptance:{acceptance.pk}").count() == 1
