"""Send an email at most once per key, however often the task that sends it runs.

Celery tasks here are acknowledged late and retried on SMTP errors, so the same task
can run again after its email already went out. Each email gets a key (what it is
about); the first run to claim the key sends, the others find it claimed or sent.
A claim left behind by a killed worker is taken over after STALE_CLAIM.
"""

import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import SentEmail

STALE_CLAIM = datetime.timedelta(minutes=15)


def send_mail_once(key: str, subject: str, body: str, recipients: list[str]) -> bool:
    """True if this call sent the email; False if another run did (or is doing) it."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = SentEmail.objects.get_or_create(key=key[:200])
    claimed = (
        SentEmail.objects.filter(pk=row.pk, sent_at=None)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        SentEmail.objects.filter(pk=row.pk).update(claimed_at=None)  # let the retry claim it
        raise
    SentEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return True
