"""Freezing a settlement: once per partnership, when it is completed, under its row lock."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnerships.models import Partnership
from partnerships.workflow import lock

from ..models import Settlement, SettlementLine
from .selectors import settlement_preview


class SettlementError(ValidationError):
    """A freeze the partnership's state does not allow; the message says why."""


def reference_for(partnership: Partnership, year: int) -> str:
    return f"SET-{year}-{partnership.pk:06d}"


@transaction.atomic
def settlement_freeze(*, partnership: Partnership, by: User) -> Settlement:
    if not by.can_edit:
        raise PermissionDenied
    # The lock orders two freezes (and a freeze racing a status change): the second
    # one finds the first one's settlement and is refused.
    partnership = lock(partnership)
    if partnership.status != Partnership.Status.COMPLETED:
        raise SettlementError(
            _("Only a completed partnership can be settled."), code="not_completed"
        )
    if Settlement.objects.filter(partnership=partnership).exists():
        raise SettlementError(_("This partnership is already settled."), code="already_settled")
    preview = settlement_preview(partnership)
    if preview.version is None:
        raise SettlementError(_("There are no accepted terms to settle."), code="no_terms")
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                partnership=partnership,
                terms=preview.version,
                reference=reference_for(partnership, timezone.localdate().year),
                payee=partnership.influencer.name,
                frozen_by=by,
                frozen_at=Now(),  # the database's time: see the line trigger
            )
    except IntegrityError as exc:  # unique partnership: settled a moment ago
        raise SettlementError(_("This partnership is already settled."), code="dup") from exc
    SettlementLine.objects.bulk_create(
        SettlementLine(settlement=settlement, position=i, **vars(line))
        for i, line in enumerate(preview.lines)
    )
    return Settlement.objects.select_related("frozen_by").get(pk=settlement.pk)
