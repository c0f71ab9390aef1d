from celery import shared_task
from django.db import transaction

from . import invitations, outbox, submit_once
from .models import Invitation


@shared_task(name="accounts.deliver_email", ignore_result=True)
def deliver_email(email_id: int) -> bool:
    """Send one outbox email. Retries go through the row (send_after), not Celery."""
    return outbox.deliver(email_id)


@shared_task(name="accounts.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="accounts.purge_submit_tokens", ignore_result=True)
def purge_submit_tokens() -> int:
    """Used one-time form tokens older than a day go (see accounts.submit_once)."""
    return submit_once.submit_tokens_purge()


@shared_task(name="accounts.send_invitation_email", ignore_result=True)
def send_invitation_email(invitation_id: int) -> None:
    """Kept for messages queued before the outbox: enqueues the invitation (once, by key)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
        if invitation is not None:
            invitations.invitation_email_enqueue(invitation=invitation)
