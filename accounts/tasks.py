from celery import shared_task

from . import invitations
from .models import Invitation
from .outbox import EMAIL_RETRY


@shared_task(name="accounts.send_invitation_email", ignore_result=True, **EMAIL_RETRY)
def send_invitation_email(invitation_id: int) -> None:
    """Email an invitation link. Does nothing once the link was used or replaced."""
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is not None:
        invitations.invitation_email_send(invitation=invitation)
