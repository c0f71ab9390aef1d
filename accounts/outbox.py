"""Send an email at most once per key, however often the task that sends it runs.

The one send-once path of the project: invitations, terms notices, hand-in reviews and
the daily digest all go out through `send_once`.

Celery tasks here are acknowledged late and retried on SMTP errors (`EMAIL_RETRY`), so
the same task can run again after its email already went out. Each email gets a key
(what it is about); the first run to claim the key sends, the others find it claimed
or sent. A claim left behind by a killed worker is taken over after STALE_CLAIM.
"""

import datetime
import smtplib
from collections.abc import Callable
from typing import NamedTuple

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import SentEmail

STALE_CLAIM = datetime.timedelta(minutes=15)

# The one retry policy for tasks that send email: back off on network and SMTP errors.
EMAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


class Message(NamedTuple):
    subject: str
    body: str
    recipients: list[str]


def send_once(key: str, compose: Callable[[], Message | None]) -> bool:
    """Claim `key`, then send what `compose()` returns. True if this call sent it.

    `compose` runs only for the run that holds the claim, so expensive content is built
    once; when it returns None there is nothing to say and the key counts as done.
    """
    key = key[:200]
    now = timezone.now()
    with transaction.atomic():
        row, _ = SentEmail.objects.get_or_create(key=key)
    claimed = (
        SentEmail.objects.filter(pk=row.pk, sent_at=None)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False
    try:
        message = compose()
        if message is not None and message.recipients:
            send_mail(message.subject, message.body, None, message.recipients)
    except Exception:
        SentEmail.objects.filter(pk=row.pk).update(claimed_at=None)  # let the retry claim it
        raise
    SentEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return message is not None and bool(message.recipients)


def send_mail_once(key: str, subject: str, body: str, recipients: list[str]) -> bool:
    """True if this call sent the email; False if another run did (or is doing) it."""
    return send_once(key, lambda: Message(subject, body, recipients))


def was_sent(keys: list[str]) -> set[str]:
    """Which of `keys` are done (sent, or nothing to say)."""
    return set(
        SentEmail.objects.filter(
            key__in=[k[:200] for k in keys], sent_at__isnull=False
        ).values_list("key", flat=True)
    )
