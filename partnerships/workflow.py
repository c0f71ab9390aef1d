"""The partnership's status workflow: which moves are legal, and the row lock that
every write to a partnership or its terms takes first.

Every function that changes a partnership locks its row first, so an edit, a
proposal and an acceptance racing each other are applied one after the other
and the loser gets a clear error instead of a silent overwrite.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Partnership

Status = Partnership.Status

# Status changes a person may make by hand. "proposed" comes from proposing terms
# and "accepted" only from the influencer's acceptance.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.CANCELLED},
    Status.PROPOSED: {Status.DECLINED, Status.CANCELLED},
    Status.ACCEPTED: {Status.ACTIVE, Status.CANCELLED},
    Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.DECLINED: set(),
    Status.CANCELLED: set(),
}
# Every legal move, whoever makes it.
TRANSITIONS: dict[str, set[str]] = {
    **MANUAL_TRANSITIONS,
    Status.DRAFT: {Status.PROPOSED, Status.CANCELLED},
    Status.PROPOSED: {Status.ACCEPTED, Status.DECLINED, Status.CANCELLED},
}
# Moves that end the relationship: they ask for confirmation and a reason.
CLOSING_STATUSES = {Status.CANCELLED, Status.DECLINED, Status.COMPLETED}
# Closed without a deal: an editor may reopen the pair as a new draft.
REOPENABLE_STATUSES = {Status.CANCELLED, Status.DECLINED}
# Terms can change (as a new version) while the relationship is open.
EDITABLE_STATUSES = {Status.DRAFT, Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE}


class TermsError(ValidationError):
    """A terms operation that the current state does not allow; the message says why."""


def lock(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update()
        .select_related("campaign", "influencer")
        .get(pk=partnership.pk)
    )


def set_status(partnership: Partnership, to_status: str, *, reason: str = "") -> None:
    if to_status not in TRANSITIONS[partnership.status]:
        raise TermsError(
            _("A partnership that is %(from)s cannot become %(to)s.")
            % {"from": partnership.get_status_display(), "to": Status(to_status).label},
            code="illegal_transition",
        )
    partnership.status = to_status
    partnership.status_changed_at = timezone.now()
    # simple-history stores this on the history row the save writes.
    partnership._change_reason = reason[:100] if reason else None
    partnership.save(update_fields=["status", "status_changed_at"])
