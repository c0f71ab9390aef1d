"""Emails that cannot go out are reported, not retried forever nor swallowed; plain text
is not HTML-escaped; hand-in notices coalesce; the admin shows failures and resends."""

import datetime
import logging
import smtplib
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import OutgoingEmail, User
from influencers.invite import influencer_invite
from partnerships.delivery import submissions as submission_services
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, InfluencerFactory, UserFactory, make_partnership

POST_1 = "https://www.instagram.com/reel/C0ffee001/"
POST_2 = "https://www.instagram.com/reel/C0ffee002/"


def _row(key="fail:1", recipients=("owner@brand.test",), **fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        key=key, subject="Hello", body="Body", recipients=list(recipients), **fields
    )


# --- Permanent failures are reported -------------------------------------------------


def test_a_header_injection_fails_the_email_with_its_error_logged(db, caplog):
    email = _row(recipients=["owner@brand.test\r\nBcc: spy@evil.test"])

    with caplog.at_level(logging.ERROR, logger="accounts.outbox"):
        assert outbox.deliver(email.pk) is False

    email.refresh_from_db()
    assert email.failed_at is not None and email.sent_at is None
    assert email.attempts == 1
    assert "BadHeaderError" in email.last_error
    assert mail.outbox == []
    assert any(r.levelno == logging.ERROR and email.key in r.getMessage() for r in caplog.records)
    assert outbox.sweep() == 0  # not retried forever
    assert outbox.deliver(email.pk) is False


def test_all_recipients_refused_fails_at_once(db, monkeypatch):
    email = _row()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"owner@brand.test": (550, b"no such user")})

    monkeypatch.setattr(outbox.EmailMessage, "send", refuse)
    outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.failed_at is not None
    assert "SMTPRecipientsRefused" in email.last_error


def test_a_name_with_a_line_break_still_makes_a_one_line_subject(
    db, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="owner@brand.test", role=User.Role.ADMIN)
    creator = UserFactory(email="nl@inbox.test", role=User.Role.INFLUENCER)
    channel = ChannelFactory(influencer__user=creator, influencer__name="Ina\r\nBcc: spy@evil.test")
    partnership = make_partnership(by=owner, channel=channel)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=owner)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_accept(version=version, by=creator, ip=None, user_agent="")

    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Ina Bcc: spy@evil.test accepted")
    assert message.message()["Bcc"] is None
    assert not OutgoingEmail.objects.failed().exists()


# --- Plain text stays plain ----------------------------------------------------------------


def test_plain_text_emails_are_not_html_escaped(db, django_capture_on_commit_callbacks):
    owner = UserFactory(email="owner@brand.test", role=User.Role.ADMIN)
    creator = UserFactory(email="obrien@inbox.test", role=User.Role.INFLUENCER)
    channel = ChannelFactory(influencer__user=creator, influencer__name="Siobhan O'Brien & Co")
    partnership = make_partnership(by=owner, channel=channel)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        terms_services.terms_request_changes(
            version=version, by=creator, message='Can we say "O\'Brien" <not> escaped?'
        )
        terms_services.terms_decline(version=version, by=creator, reason="It's too soon & far")
    invitee = InfluencerFactory(name="Aoife O'Brien", email="aoife@inbox.test")
    with django_capture_on_commit_callbacks(execute=True):
        influencer_invite(influencer=invitee, by=owner)

    texts = [m.subject + "\n" + m.body for m in mail.outbox]
    assert len(texts) >= 3
    for text in texts:
        assert "&#x27;" not in text and "&amp;" not in text and "&quot;" not in text
    joined = "\n".join(texts)
    assert "Siobhan O'Brien & Co would like changes" in joined
    assert 'Can we say "O\'Brien" <not> escaped?' in joined
    assert "It's too soon & far" in joined
    assert "Hello Aoife," in joined
    assert "You're invited" in joined


# --- Password reset: throttled, through the outbox --------------------------------------


@pytest.mark.parametrize("existing", [True, False])
def test_password_reset_is_throttled_per_address_and_answers_the_same(
    client, db, existing, django_capture_on_commit_callbacks
):
    if existing:
        UserFactory(email="victim@brand.test", role=User.Role.MANAGER)
    url = reverse("password_reset")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(6):
            response = client.post(
                url, {"email": "Victim@brand.test"}, REMOTE_ADDR=f"198.51.100.{i}"
            )
            answers.append((response.status_code, response["Location"]))

    assert set(answers) == {(302, reverse("password_reset_done"))}
    sent = OutgoingEmail.objects.filter(key__startswith="password-reset:")
    if existing:
        assert sent.count() == 3 and len(mail.outbox) == 3
        assert all(m.to == ["victim@brand.test"] for m in mail.outbox)
        assert "/password/reset/" in mail.outbox[0].body
    else:
        assert sent.count() == 0 and mail.outbox == []


def test_password_reset_is_throttled_per_client(client, db, settings):
    settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR = 4
    for i in range(6):
        UserFactory(email=f"user{i}@brand.test", role=User.Role.MANAGER)
        client.post(
            reverse("password_reset"), {"email": f"user{i}@brand.test"}, REMOTE_ADDR="203.0.113.7"
        )
    assert OutgoingEmail.objects.filter(key__startswith="password-reset:").count() == 4
    client.post(reverse("password_reset"), {"email": "user5@brand.test"}, REMOTE_ADDR="203.0.113.8")
    assert OutgoingEmail.objects.filter(key__startswith="password-reset:").count() == 5


# --- Hand-ins coalesce -----------------------------------------------------------------------


@pytest.fixture
def accepted(db):
    owner = UserFactory(email="owner@brand.test", role=User.Role.ADMIN)
    creator = UserFactory(email="ina@inbox.test", role=User.Role.INFLUENCER)
    channel = ChannelFactory(influencer__user=creator, platform="instagram")
    partnership = make_partnership(by=owner, channel=channel)
    version = terms_services.terms_propose(version=partnership.versions.get(), by=owner)
    terms_services.terms_accept(version=version, by=creator, ip=None, user_agent="")
    return version.deliverables.get(), creator, owner


def test_hand_ins_within_the_window_make_one_email_sent_when_it_closes(
    accepted, django_capture_on_commit_callbacks
):
    deliverable, creator, owner = accepted
    OutgoingEmail.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for piece, post in ((1, POST_1), (2, POST_2), (1, POST_1.replace("001", "003"))):
            submission_services.submission_hand_in(
                deliverable=deliverable, piece=piece, post_url=post, by=creator
            )

    [email] = OutgoingEmail.objects.filter(key__startswith="handed-in:")
    assert email.send_after > timezone.now() + datetime.timedelta(minutes=5)
    assert outbox.sweep() == 0 and mail.outbox == []  # the window is still open

    OutgoingEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
    outbox.sweep()

    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "2 posts" in message.subject
    assert POST_2 in message.body and POST_1.replace("001", "003") in message.body
    assert POST_1 not in message.body  # replaced by the re-hand-in


def test_a_hand_in_after_the_window_starts_a_new_email(
    accepted, django_capture_on_commit_callbacks
):
    deliverable, creator, _owner = accepted
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=1, post_url=POST_1, by=creator
        )
    OutgoingEmail.objects.update(send_after=timezone.now())
    outbox.sweep()
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.submission_hand_in(
            deliverable=deliverable, piece=2, post_url=POST_2, by=creator
        )

    first, second = OutgoingEmail.objects.filter(key__startswith="handed-in:").order_by("pk")
    assert first.sent_at is not None and POST_2 not in first.body
    assert second.sent_at is None and POST_2 in second.body and POST_1 not in second.body


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


def test_the_admin_lists_failed_emails_with_their_error_and_sends_them_again(
    superuser_client, django_capture_on_commit_callbacks
):
    failed = _row(
        key="fail:admin", failed_at=timezone.now(), attempts=8, last_error="SMTPDataError: 554"
    )
    _row(key="ok:admin", sent_at=timezone.now())
    url = reverse("admin:accounts_outgoingemail_changelist")

    page = superuser_client.get(url, {"status": "failed"}).content.decode()
    assert "fail:admin" in page and "SMTPDataError: 554" in page
    assert "ok:admin" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            url, {"action": "send_again", "_selected_action": [failed.pk]}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.failed_at is None
    assert [m.to for m in mail.outbox] == [["owner@brand.test"]]


def test_the_admin_cannot_edit_an_email(superuser_client):
    email = _row(key="ro:admin")
    url = reverse("admin:accounts_outgoingemail_change", args=[email.pk])
    response = superuser_client.post(url, {"subject": "Changed"})
    assert response.status_code == 403
    email.refresh_from_db()
    assert email.subject == "Hello"


# --- A stalled mail server cannot hold a worker -----------------------------------------------


def test_a_stalled_smtp_server_times_out_and_the_retry_sends_once(db, settings):
    from ._outbox_support import FakeSMTPServer

    email = _row(key="stall:1")
    with FakeSMTPServer(stall_first=True) as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 1
        started = time.monotonic()
        assert outbox.deliver(email.pk) is False
        assert time.monotonic() - started < 15  # bound by EMAIL_TIMEOUT, not by the server
        email.refresh_from_db()
        assert email.attempts == 1 and email.sent_at is None and email.failed_at is None
        assert "timed out" in email.last_error.lower()

        OutgoingEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())
        assert outbox.deliver(email.pk) is True
        assert outbox.deliver(email.pk) is False
        assert smtp.count() == 1


# --- Schedules and old task names -----------------------------------------------------------


def test_the_sweeper_is_scheduled_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    from metrics.schedules import ensure_schedules

    ensure_schedules()
    sweeper = PeriodicTask.objects.get(task="accounts.sweep_outbox")
    assert sweeper.enabled
    assert (sweeper.interval.every, sweeper.interval.period) == (1, "minutes")


def test_an_invitation_task_queued_before_the_outbox_sends_its_email_once(
    db, django_capture_on_commit_callbacks
):
    from accounts.tasks import send_invitation_email

    owner = UserFactory(email="owner@brand.test", role=User.Role.ADMIN)
    influencer = InfluencerFactory(name="Ina", email="ina@inbox.test")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = influencer_invite(influencer=influencer, by=owner)
    for _ in range(2):  # the old message, delivered twice by the broker
        with django_capture_on_commit_callbacks(execute=True):
            send_invitation_email.delay(invitation.pk)
    assert [m.to for m in mail.outbox] == [["ina@inbox.test"]]
    assert OutgoingEmail.objects.filter(key=f"invitation:{invitation.pk}").count() == 1
