import smtplib

from celery import shared_task

from . import invitations
from .models import Invitation


@shared_task(
    name="accounts.send_invitation_email",
    ignore_result=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_invitation_email(invitation_id: int) -> None:
    """Email an invitation link. Does nothing once the link was used or replaced."""
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is not None:
        invitations.invitation_email_send(invitation=invitation)
