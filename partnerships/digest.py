"""The daily digest: each marketer's "my day" by email, at their local hour, once a day.

Beat runs `send_due_digests` every 15 minutes. It queues `send_digest` for every
marketer whose local clock has passed their digest hour. `digest_send` then claims
the (marketer, local day) row with a conditional UPDATE, so a second beat tick, a
retried task or a second worker finds it claimed and sends nothing.
"""

import datetime
import smtplib
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User

from .models import DigestSend
from .my_day import my_day

# A claim older than this whose email never went out (worker killed) may be retried.
STALE_CLAIM = datetime.timedelta(minutes=15)


def local_now(user: User, now: datetime.datetime) -> datetime.datetime:
    try:
        zone = ZoneInfo(user.time_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    return now.astimezone(zone)


def due_digests(now: datetime.datetime) -> list[tuple[User, datetime.date]]:
    """Marketers whose digest hour has come today (their today), not yet sent."""
    due = []
    marketers = User.objects.marketers().filter(is_active=True, digest_enabled=True)
    for user in marketers:
        local = local_now(user, now)
        if local.hour >= user.digest_hour:
            due.append((user, local.date()))
    sent = set(
        DigestSend.objects.filter(
            user__in=[user for user, _ in due], sent_at__isnull=False
        ).values_list("user_id", "local_date")
    )
    return [(user, day) for user, day in due if (user.pk, day) not in sent]


def digest_send(
    *, user: User, local_date: datetime.date, now: datetime.datetime | None = None
) -> bool:
    """Send `user` their digest for `local_date` unless someone already did. True if sent."""
    now = now or timezone.now()
    with transaction.atomic():
        row, _ = DigestSend.objects.get_or_create(user=user, local_date=local_date)
    claimed = (
        DigestSend.objects.filter(pk=row.pk, sent_at=None)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False  # another worker, or an earlier run, has it
    try:
        _send(user, local_date)
    except Exception:
        DigestSend.objects.filter(pk=row.pk).update(claimed_at=None)  # let a retry claim it
        raise
    DigestSend.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return True


def _send(user: User, local_date: datetime.date) -> None:
    day = my_day(user, today=local_date)
    if not day.count:
        return  # nothing to say: no email, but the day counts as done
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "day": day,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        subject = render_to_string("partnerships/email/digest_subject.txt", context).strip()
        body = render_to_string("partnerships/email/digest_body.txt", context)
    send_mail(subject, body, None, [user.email])


@shared_task(name="partnerships.send_due_digests", ignore_result=True)
def send_due_digests() -> int:
    due = due_digests(timezone.now())
    for user, day in due:
        send_digest.delay(user.pk, day.isoformat())
    return len(due)


@shared_task(
    name="partnerships.send_digest",
    ignore_result=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_digest(user_id: int, local_date: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True, digest_enabled=True).first()
    if user is None:
        return False
    return digest_send(user=user, local_date=datetime.date.fromisoformat(local_date))
