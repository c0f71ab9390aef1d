"""The daily digest: each marketer's "My day" by email, at their local hour, once a day.

Beat runs `send_due_digests` every 15 minutes. It queues `send_digest` for every
marketer whose local clock has passed their digest hour. `digest_send` composes the
digest, puts it in the outbox (`accounts.outbox`) keyed on (marketer, local day) and
delivers it, so a second beat tick, a retried task or a second worker sends nothing
more, and a failed send is retried by the outbox sweeper. A day with nothing to say
sends no email but still counts as done.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts import outbox
from accounts.models import User

from .my_day import my_day


def digest_key(user: User, local_date: datetime.date) -> str:
    return f"digest:{user.pk}:{local_date.isoformat()}"


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
    done = outbox.was_sent([digest_key(user, day) for user, day in due])
    return [(user, day) for user, day in due if digest_key(user, day) not in done]


def digest_send(*, user: User, local_date: datetime.date) -> bool:
    """Send `user` their digest for `local_date` unless someone already did. True if sent."""
    key = digest_key(user, local_date)
    if not outbox.exists(key):
        subject, body = _compose(user, local_date) or ("", "")
        with transaction.atomic():
            recipients = [user.email] if body else []
            email = outbox.enqueue(key, subject, body, recipients, nudge_worker=False)
    else:
        email = outbox.OutgoingEmail.objects.get(key=key)
    return outbox.deliver(email.pk)


def _compose(user: User, local_date: datetime.date) -> tuple[str, str] | None:
    day = my_day(user, today=local_date)
    if not day.count:
        return None  # nothing to say: no email, but the day counts as done
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "day": day, "site_url": settings.SITE_URL.rstrip("/")}
        subject = render_to_string("today/email/digest_subject.txt", context)
        body = render_to_string("today/email/digest_body.txt", context)
    return subject, body
