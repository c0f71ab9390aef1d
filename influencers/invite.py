"""Inviting an influencer to the portal: their login, then an emailed link."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.invitations import invitation_email_enqueue, invitation_issue, user_joined
from accounts.models import Invitation, User

from .models import Influencer


@transaction.atomic
def influencer_invite(*, influencer: Influencer, by: User, email_link: bool = True) -> Invitation:
    """Create or reuse the influencer's portal login and email them a fresh link.

    With `email_link=False` the caller sends the link itself (partnerships sends it
    together with the offer waiting behind it)."""
    # Lock the profile so two editors pressing Invite at once make one login.
    influencer = Influencer.objects.select_for_update().get(pk=influencer.pk)
    email = influencer.email.strip().lower()
    if not email:
        raise ValidationError(
            _("%(name)s has no email address yet. Add one to the profile, then invite them.")
            % {"name": influencer.name},
            code="no_email",
        )
    user = _portal_user(influencer, email)
    invitation = invitation_issue(user=user, by=by)
    if email_link:
        invitation_email_enqueue(invitation=invitation)
    return invitation


def _portal_user(influencer: Influencer, email: str) -> User:
    user = influencer.user
    if user is not None and user_joined(user):
        raise ValidationError(
            _(
                "%(name)s already uses the portal. If they forgot their password, "
                "they can reset it from the login page."
            )
            % {"name": influencer.name},
            code="already_joined",
        )
    others = User.objects.filter(email__iexact=email)
    holder = (others.exclude(pk=user.pk) if user else others).first()
    if holder is not None:
        _refuse_taken_email(influencer, email, holder, linked=user is not None)
        user = holder  # a portal login nobody's profile points at: adopt it
    elif user is None:
        user = User.objects.create_user(
            email=email, role=User.Role.INFLUENCER, full_name=influencer.name, is_active=False
        )
    elif user.email != email:
        # Not joined yet, and the contact email changed: the login follows it.
        user.email = email
        user.save(update_fields=["email"])
    if influencer.user_id != user.pk:
        influencer.user = user
        influencer.save(update_fields=["user", "updated_at"])
    return user


def _refuse_taken_email(influencer: Influencer, email: str, holder: User, *, linked: bool):
    """Someone else's login already uses this address: say whose kind of account it is."""
    if not holder.is_influencer:
        raise ValidationError(
            _(
                "%(email)s belongs to a brand team account, so it cannot be a portal login. "
                "Use another address for %(name)s."
            )
            % {"email": email, "name": influencer.name},
            code="email_is_marketer",
        )
    other = Influencer.objects.filter(user=holder).exclude(pk=influencer.pk).first()
    if other is not None or linked:
        raise ValidationError(
            _(
                "%(email)s is already the portal login of %(other)s. "
                "Each influencer needs their own address."
            )
            % {"email": email, "other": other.name if other else holder},
            code="email_is_other_influencer",
        )
