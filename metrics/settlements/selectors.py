"""Reads: the settlement preview from the terms in force, a frozen settlement, and the
frozen settlements a marketer lists or exports."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership, TermsVersion

from ..models import Metric, Settlement, SettlementLine
from ..progress import kpi_progress, partnership_reading
from .compute import Line, Statement, statement


@dataclass
class Preview(Statement):
    """What would be owed now; `version` is the terms in force (None: nothing owed)."""

    version: TermsVersion | None = None


def version_in_force(partnership: Partnership) -> TermsVersion | None:
    return (
        TermsVersion.objects.filter(partnership=partnership, acceptance__isnull=False)
        .order_by("-number")
        .first()
    )


def revenue_of(partnership: Partnership) -> Decimal:
    """The partnership's revenue: its per-bucket revenue records summed, one per day,
    a measured one (the shop) before a typed one (`metrics.progress`'s rule)."""
    return partnership_reading(partnership, Metric.REVENUE).value


def settlement_preview(partnership: Partnership) -> Preview:
    """What is owed under the terms in force, computed now (no terms in force: nothing)."""
    return preview_under(partnership, version_in_force(partnership))


def preview_under(partnership: Partnership, version: TermsVersion | None) -> Preview:
    """The preview when the page already knows the version in force (its compensation
    lines may be prefetched)."""
    if version is None:
        return Preview()
    computed = statement(
        compensation=list(version.compensation.all()),
        progress=kpi_progress(partnership),
        revenue=revenue_of(partnership),
        bonus_currency=partnership.campaign.currency,
    )
    return Preview(lines=computed.lines, version=version)


def settlement_of(partnership: Partnership) -> Settlement | None:
    """The partnership's frozen settlement with its lines, or None."""
    return (
        Settlement.objects.filter(partnership=partnership)
        .select_related("frozen_by", "terms")
        .prefetch_related(Prefetch("lines", queryset=SettlementLine.objects.order_by("position")))
        .first()
    )


def statement_of(settlement: Settlement) -> Statement:
    return Statement(
        [
            Line(
                line.kind,
                line.description,
                line.basis,
                line.amount,
                line.currency,
                line.in_cash,
            )
            for line in settlement.lines.all()
        ]
    )


def settlements_for_user(
    user: User,
    *,
    campaign: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Settlement]:
    """Frozen settlements of the partnerships the user sees, newest first; the dates are
    local days of freezing, both ends included."""
    qs = Settlement.objects.filter(partnership__in=Partnership.objects.visible_to(user))
    if campaign:
        qs = qs.filter(partnership__campaign_id=campaign)
    if since:
        qs = qs.filter(frozen_at__gte=_midnight(since))
    if until:
        qs = qs.filter(frozen_at__lt=_midnight(until + datetime.timedelta(days=1)))
    return qs.select_related("partnership__campaign", "frozen_by").prefetch_related(
        Prefetch("lines", queryset=SettlementLine.objects.order_by("position"))
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
