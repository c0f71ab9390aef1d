"""An email keyed once goes out once, whatever the retries."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts import outbox
from accounts.models import SentEmail


def test_the_same_key_sends_once(db):
    assert outbox.send_mail_once("thing:1", "Hi", "Body", ["a@example.com"]) is True
    assert outbox.send_mail_once("thing:1", "Hi", "Body", ["a@example.com"]) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_for_the_retry(db, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(outbox, "send_mail", broken)
    with pytest.raises(OSError):
        outbox.send_mail_once("thing:2", "Hi", "Body", ["a@example.com"])
    monkeypatch.undo()
    assert outbox.send_mail_once("thing:2", "Hi", "Body", ["a@example.com"]) is True
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_killed_worker_is_taken_over(db):
    SentEmail.objects.create(key="thing:3", claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert outbox.send_mail_once("thing:3", "Hi", "Body", ["a@example.com"]) is True


def test_a_fresh_claim_is_left_alone(db):
    SentEmail.objects.create(key="thing:4", claimed_at=timezone.now())
    assert outbox.send_mail_once("thing:4", "Hi", "Body", ["a@example.com"]) is False
    assert mail.outbox == []


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
    tasks.notify_acceptance.delay(acceptance.pk)  # the broker delivers it again
    assert len(mail.outbox) == 1
