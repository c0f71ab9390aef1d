"""Writes to the relationship log: contacts, meetings and follow-ups."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from influencers.models import Influencer

from ..models import Contact, FollowUp, Partnership


def _check_partnership(influencer: Influencer, partnership: Partnership | None) -> None:
    if partnership is not None and partnership.influencer_id != influencer.pk:
        raise ValidationError(
            _("That partnership belongs to another influencer."), code="foreign_partnership"
        )


def _check_assignee(assignee: User) -> None:
    if not (assignee.is_active and assignee.is_marketer):
        raise ValidationError(_("Follow-ups go to someone on your team."), code="assignee")


@transaction.atomic
def contact_log(
    *,
    influencer: Influencer,
    by: User,
    kind: str,
    summary: str,
    happened_at: datetime.datetime | None = None,
    partnership: Partnership | None = None,
    place: str = "",
    attendees: str = "",
    follow_up_in_days: int | None = None,
    follow_up_what: str = "",
) -> Contact:
    """Log a contact and, in the same step, the follow-up it calls for."""
    _check_partnership(influencer, partnership)
    contact = Contact(
        influencer=influencer,
        partnership=partnership,
        kind=kind,
        summary=summary.strip(),
        happened_at=happened_at or timezone.now(),
        place=place.strip(),
        attendees=attendees.strip(),
        logged_by=by,
    )
    contact.full_clean()
    contact.save()
    if follow_up_in_days is not None:
        follow_up_create(
            influencer=influencer,
            partnership=partnership,
            contact=contact,
            what=follow_up_what.strip()
            # The follow-up is one line: the summary's line breaks become spaces.
            or _("Follow up on: %(summary)s") % {"summary": " ".join(summary.split())[:200]},
            due_on=timezone.localdate() + datetime.timedelta(days=follow_up_in_days),
            assignee=by,
            by=by,
        )
    return contact


@transaction.atomic
def follow_up_create(
    *,
    influencer: Influencer,
    what: str,
    due_on: datetime.date,
    assignee: User,
    by: User,
    partnership: Partnership | None = None,
    contact: Contact | None = None,
) -> FollowUp:
    _check_partnership(influencer, partnership)
    _check_assignee(assignee)
    follow_up = FollowUp(
        influencer=influencer,
        partnership=partnership,
        contact=contact,
        what=what.strip(),
        due_on=due_on,
        assignee=assignee,
        created_by=by,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, by: User) -> FollowUp:
    # A conditional update: two clicks (or two people) mark it done once.
    FollowUp.objects.filter(pk=follow_up.pk, done_at=None).update(
        done_at=timezone.now(), done_by=by
    )
    follow_up.refresh_from_db()
    return follow_up


@transaction.atomic
def follow_up_reopen(*, follow_up: FollowUp) -> FollowUp:
    FollowUp.objects.filter(pk=follow_up.pk).update(done_at=None, done_by=None)
    follow_up.refresh_from_db()
    return follow_up
