"""Portal invitations: an emailed link, good once, with which a person sets a password.

The link carries a signed "<invitation id>:<nonce>". Nothing secret is stored or
sent through the broker: the email task signs the link again from the id.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import Invitation, User

SALT = "portal-invitation"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


class InvitationUnusable(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "This invitation link no longer works: it was used, replaced by a newer one, "
                "or it expired. Ask the brand to send a new one."
            ),
            code="invitation_unusable",
        )


def invitation_ttl() -> timedelta:
    return timedelta(hours=getattr(settings, "INVITATION_TTL_HOURS", 72))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def invitation_token(invitation: Invitation) -> str:
    return _signer().sign(f"{invitation.pk}:{invitation.nonce}")


def invitation_url(invitation: Invitation) -> str:
    site = getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/")
    return site + reverse("invitation_accept", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation this link opens, or None if the link is forged, stale or spent."""
    try:
        value = _signer().unsign(token, max_age=invitation_ttl())
        pk, nonce = value.split(":", 1)
        invitation = Invitation.objects.select_related("user").get(pk=int(pk))
    except (signing.BadSignature, ValueError, Invitation.DoesNotExist):
        return None
    if not constant_time_compare(invitation.nonce, nonce) or not invitation.is_usable:
        return None
    return invitation


def user_joined(user: User) -> bool:
    """Has set a password of their own and used it (or the link)."""
    return user.has_usable_password() and bool(
        user.last_login or user.invitations.exclude(used_at=None).exists()
    )


@transaction.atomic
def invitation_issue(*, user: User, by: User | None) -> Invitation:
    """A new invitation for user; every older unused link stops working."""
    # Lock the person so two resends at once queue up instead of tripping the
    # one-open-invitation constraint.
    User.objects.select_for_update().filter(pk=user.pk).get()
    now = timezone.now()
    Invitation.objects.open().filter(user=user).update(revoked_at=now)
    return Invitation.objects.create(
        user=user, created_by=by, created_at=now, expires_at=now + invitation_ttl()
    )


def invitations_revoke(*, user: User) -> int:
    """Kill every open link of `user` (they were switched off, or re-invited)."""
    return Invitation.objects.open().filter(user=user).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the first password through the link; works once, even when submitted twice at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationUnusable
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    validate_password(password, user)
    # The row lock already serialises submissions; the conditional update makes
    # "used once" hold even for a caller that skipped the lock.
    claimed = Invitation.objects.open().filter(pk=invitation.pk).update(used_at=timezone.now())
    if claimed != 1:
        raise InvitationUnusable
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


def invitation_email_enqueue(*, invitation: Invitation, waiting: list[str] | None = None) -> bool:
    """Put the link's email in the outbox (call inside the transaction that issued the
    invitation); False when the link is already dead.

    `waiting` names what waits for them behind the link (e.g. a brand's offer); apps
    above this one compose it, since accounts knows nothing of brands."""
    if not invitation.is_usable:
        return False
    user = invitation.user
    context = {
        "user": user,
        "invitation": invitation,
        "url": invitation_url(invitation),
        "waiting": waiting or [],
    }
    # Dates in the email read in the invitee's own time zone.
    with timezone.override(user.time_zone), translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    outbox.enqueue(f"invitation:{invitation.pk}", subject, body, [user.email])
    return True
