"""The transactional email outbox: every email the app sends goes through here.

`enqueue` writes the email as a row (`OutgoingEmail`) inside the transaction of the
change it announces, so the email exists exactly when the change does; the same key
twice is one row. Once the transaction commits, `common.queue.nudge` asks a worker to
`deliver` it: best effort, a broken broker is logged and never fails the request.

`deliver` claims the row with a conditional UPDATE (due, unsent, not failed, unclaimed
or claimed so long ago that its worker must be dead), sends it with a connection bound
by `EMAIL_TIMEOUT` and marks it sent. A transient error (network, SMTP 4xx) releases
the claim and backs off through `send_after`; a permanent one (a header injection, all
recipients refused, SMTP 5xx, too many attempts) marks the row failed with its error,
logged at ERROR and listed in the admin, where it can be sent again.

`sweep` runs from beat every minute and nudges every due row whose claim is empty or
stale: what the nudge missed (Redis down at commit, a worker killed mid-send, a
delayed retry) goes out within a minute or so of becoming due.
"""

import datetime
import logging
import random
import re
import smtplib

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from common.queue import nudge, nudge_on_commit

from .models import OutgoingEmail

log = logging.getLogger(__name__)

KEY_LENGTH = 200
SWEEP_BATCH = 500
_SUBJECT_JUNK = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def stale_claim() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_STALE_CLAIM_SECONDS)


def clean_subject(subject: str) -> str:
    """One line: any run of whitespace or control characters becomes a single space."""
    return _SUBJECT_JUNK.sub(" ", str(subject)).strip()[:998]


def enqueue(
    key: str,
    subject: str,
    body: str,
    recipients: list[str],
    *,
    send_after: datetime.datetime | None = None,
    nudge_worker: bool = True,
) -> OutgoingEmail:
    """Write the email in the caller's transaction; deliver it once that commits.

    The same key again returns the existing row unchanged. No recipients means
    nothing to say: the row is stored as done, so the key still counts as handled.
    `nudge_worker=False` is for a caller that calls `deliver` itself (a task).
    """
    now = timezone.now()
    recipients = list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    with transaction.atomic():
        email, created = OutgoingEmail.objects.get_or_create(
            key=key[:KEY_LENGTH],
            defaults={
                "subject": clean_subject(subject),
                "body": body,
                "recipients": recipients,
                "send_after": send_after or now,
                "sent_at": None if recipients else now,
            },
        )
    if created and recipients and email.send_after <= now and nudge_worker:
        _nudge_on_commit(email.pk)
    return email


def pending_for_update(key_prefix: str) -> OutgoingEmail | None:
    """The group's email still waiting for its time and unclaimed, locked so a delivery
    waits until the caller's transaction has changed it (notice coalescing)."""
    return (
        OutgoingEmail.objects.select_for_update()
        .pending()
        .filter(key__startswith=key_prefix, claimed_at=None, send_after__gt=timezone.now())
        .order_by("send_after")
        .first()
    )


def rewrite(email: OutgoingEmail, *, subject: str, body: str, recipients: list[str]) -> None:
    """Change a pending email's content (the caller holds its lock: pending_for_update)."""
    email.subject, email.body, email.recipients = clean_subject(subject), body, recipients
    email.save(update_fields=["subject", "body", "recipients"])


def deliver(email_id: int) -> bool:
    """Send one email if it is due and nobody else holds it. True if this call sent it."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .claimable(now, now - stale_claim())
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False  # sent, failed, not due, or another worker is on it
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _send(email)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        _record_failure(email, exc)
        return False
    OutgoingEmail.objects.filter(pk=email.pk, sent_at=None, failed_at=None).update(
        sent_at=timezone.now(), attempts=email.attempts + 1
    )
    return True


def sweep() -> int:
    """Nudge every due email nobody holds (or whose holder died). Returns how many."""
    now = timezone.now()
    ids = list(
        OutgoingEmail.objects.claimable(now, now - stale_claim())
        .order_by("send_after")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    from .tasks import deliver_email

    for email_id in ids:
        nudge(deliver_email, email_id)
    return len(ids)


@transaction.atomic
def email_send_again(*, email: OutgoingEmail) -> bool:
    """Give a failed email a fresh set of attempts (the admin's "send again")."""
    reset = (
        OutgoingEmail.objects.failed()
        .filter(pk=email.pk)
        .update(failed_at=None, claimed_at=None, attempts=0, send_after=timezone.now())
    )
    if reset:
        _nudge_on_commit(email.pk)
    return bool(reset)


def was_sent(keys: list[str]) -> set[str]:
    """Which of `keys` are done (sent, or nothing to say)."""
    return set(
        OutgoingEmail.objects.sent()
        .filter(key__in=[k[:KEY_LENGTH] for k in keys])
        .values_list("key", flat=True)
    )


def exists(key: str) -> bool:
    return OutgoingEmail.objects.filter(key=key[:KEY_LENGTH]).exists()


def _nudge_on_commit(email_id: int) -> None:
    from .tasks import deliver_email  # tasks imports this module

    nudge_on_commit(deliver_email, email_id)


def _send(email: OutgoingEmail) -> None:
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    message = EmailMessage(
        clean_subject(email.subject), email.body, None, email.recipients, connection=connection
    )
    message.send()


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, (BadHeaderError, smtplib.SMTPRecipientsRefused)):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


def _record_failure(email: OutgoingEmail, exc: Exception) -> None:
    attempts = email.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    row = OutgoingEmail.objects.filter(pk=email.pk, sent_at=None)
    if _is_permanent(exc) or attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        row.update(failed_at=timezone.now(), claimed_at=None, attempts=attempts, last_error=error)
        log.error(
            "outbox: email %s failed for good after %s attempt(s): %s",
            email.key,
            attempts,
            error,
            exc_info=exc,
        )
        return
    backoff = min(30 * 2**attempts, 3600) * random.uniform(0.8, 1.2)  # noqa: S311
    row.update(
        claimed_at=None,
        attempts=attempts,
        last_error=error,
        send_after=timezone.now() + datetime.timedelta(seconds=backoff),
    )
    log.warning("outbox: email %s not sent (attempt %s), retrying: %s", email.key, attempts, error)
