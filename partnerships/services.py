"""Writes to partnerships as a whole: start one, move its status, renew it.

Terms (versions, proposals, acceptance) are written by `terms.services`; both take
the partnership's row lock from `workflow` first.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from campaigns.models import Campaign
from influencers.invite import influencer_invite
from influencers.models import Influencer

from . import notifications
from .models import Partnership, TermsVersion
from .terms.content import SCALAR_FIELDS as TERMS_FIELDS
from .terms.services import copy_children
from .workflow import (
    CLOSING_STATUSES,
    MANUAL_TRANSITIONS,
    REOPENABLE_STATUSES,
    Status,
    TermsError,
    lock,
    set_status,
)


@transaction.atomic
def partnership_create(
    *, campaign: Campaign, influencer: Influencer, by: User, owner: User | None = None
) -> Partnership:
    if Partnership.objects.open_pair(campaign=campaign, influencer=influencer).exists():
        raise ValidationError(
            _("%(influencer)s is already in %(campaign)s.")
            % {"influencer": influencer, "campaign": campaign.name},
            code="duplicate_partnership",
        )
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                campaign=campaign, influencer=influencer, owner=owner or by
            )
    except IntegrityError as exc:  # created by someone else a moment ago
        raise ValidationError(
            _("This influencer is already in that campaign."), code="dup"
        ) from exc
    # Version 1 starts from the campaign's default terms row (the same fields).
    version = TermsVersion(
        partnership=partnership,
        number=1,
        created_by=by,
        **campaign.terms_or_defaults().terms_values(),
    )
    version.full_clean(exclude=["partnership", "created_by", "proposed_by"])
    version.save()
    return partnership


@transaction.atomic
def partnership_transition(
    *, partnership: Partnership, to_status: str, by: User, reason: str = ""
) -> Partnership:
    partnership = lock(partnership)
    if to_status == Status.PROPOSED:
        raise TermsError(_("Propose the terms to send them to the influencer."), code="use_propose")
    if to_status == Status.ACCEPTED:
        raise TermsError(
            _("Only the influencer's acceptance of the terms can make it accepted."),
            code="use_accept",
        )
    if to_status not in MANUAL_TRANSITIONS[partnership.status]:
        raise TermsError(
            _("A partnership that is %(from)s cannot become %(to)s.")
            % {"from": partnership.get_status_display(), "to": Status(to_status).label},
            code="illegal_transition",
        )
    if to_status in CLOSING_STATUSES and not reason.strip():
        raise TermsError(
            _("Say why the partnership ends: the reason is kept in its history."),
            code="reason_required",
        )
    set_status(partnership, to_status, reason=reason.strip())
    return partnership


@transaction.atomic
def partnership_reopen(*, partnership: Partnership, by: User) -> Partnership:
    """Start over with a cancelled or declined pair: a new draft partnership in the same
    campaign, its terms copied from the last version the old one had."""
    partnership = lock(partnership)
    if partnership.status not in REOPENABLE_STATUSES:
        raise TermsError(
            _("Only a cancelled or declined partnership can be reopened."), code="not_closed"
        )
    reopened = partnership_create(
        campaign=partnership.campaign,
        influencer=partnership.influencer,
        owner=partnership.owner,
        by=by,
    )
    draft = reopened.versions.get()
    source = partnership.versions.order_by("-number").first()
    for name in TERMS_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.save()
    copy_children(source, draft, same_influencer=True)
    reopened.renewed_from = partnership
    reopened._change_reason = f"reopened from #{partnership.pk}"
    reopened.save(update_fields=["renewed_from"])
    return reopened


@transaction.atomic
def partnership_invite(*, partnership: Partnership, by: User) -> Invitation:
    """Invite the influencer to the portal with the offer that waits for them there:
    one email carrying both the link and what the brand proposed."""
    invitation = influencer_invite(influencer=partnership.influencer, by=by, email_link=False)
    notifications.invitation_with_offer_enqueue(invitation=invitation, partnership=partnership)
    return invitation


@transaction.atomic
def partnership_set_owner(*, partnership: Partnership, owner: User | None, by: User) -> Partnership:
    partnership = lock(partnership)
    partnership.owner = owner
    partnership.full_clean(exclude=["campaign", "influencer", "renewed_from"])
    partnership.save(update_fields=["owner"])
    return partnership


@transaction.atomic
def partnership_renew(*, partnership: Partnership, campaign: Campaign, by: User) -> Partnership:
    """Work with the influencer again in another campaign.

    What belongs to the relationship (compensation, deliverables on their channels, KPI
    targets) is carried over from the last accepted version as a starting point; the
    brief, usage, exclusivity and the rest of the scalar terms come from the new
    campaign's default terms, and deliverables fall due at the new campaign's end.
    """
    source = partnership.versions.filter(acceptance__isnull=False).order_by("-number").first()
    if source is None:
        raise TermsError(
            _("Only a partnership whose terms were accepted can be renewed."),
            code="never_accepted",
        )
    renewal = partnership_create(campaign=campaign, influencer=partnership.influencer, by=by)
    renewal.renewed_from = partnership
    renewal.save(update_fields=["renewed_from"])
    draft = renewal.versions.get()  # scalar terms: the new campaign's defaults
    copy_children(source, draft, same_influencer=True)
    draft.deliverables.update(due_on=campaign.ends_on)
    return renewal
