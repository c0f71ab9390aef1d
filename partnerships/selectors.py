"""Scoped reads for partnerships, and the money they cost."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import (
    CompensationLine,
    Partnership,
    Payment,
    Shipment,
    TermsVersion,
)

ZERO = Decimal("0.00")


def partnership_for_user(user: User, pk: int, *, write: bool = False) -> Partnership:
    """The one door: 404 if missing or not theirs, 403 if a read-only user wants to write."""
    partnership = get_object_or_404(
        Partnership.objects.visible_to(user).select_related(
            "campaign", "influencer", "owner", "renewed_from__campaign"
        ),
        pk=pk,
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return partnership


def version_for_user(user: User, partnership_pk: int, number: int) -> TermsVersion:
    partnership = partnership_for_user(user, partnership_pk)
    return get_object_or_404(versions_with_children(partnership.versions.all()), number=number)


def versions_with_children(qs: QuerySet[TermsVersion]) -> QuerySet[TermsVersion]:
    return qs.select_related(
        "partnership__campaign", "partnership__influencer", "acceptance__accepted_by"
    ).prefetch_related("deliverables__channel", "compensation", "kpis")


@dataclass
class TermsState:
    """Which version is which: in force (latest accepted), awaiting acceptance, draft."""

    versions: list[TermsVersion]
    in_force: TermsVersion | None
    pending: TermsVersion | None
    draft: TermsVersion | None

    @property
    def latest(self) -> TermsVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def current(self) -> TermsVersion | None:
        """What the partnership is about right now: pending, else in force, else the draft."""
        return self.pending or self.in_force or self.draft

    @property
    def costed(self) -> TermsVersion | None:
        """The terms money is committed on: those in force, else the ones on the table."""
        return self.in_force or self.pending or self.draft


def terms_state(partnership: Partnership) -> TermsState:
    return terms_state_of(list(versions_with_children(partnership.versions.order_by("number"))))


def terms_state_of(versions: list[TermsVersion]) -> TermsState:
    """Which version is which, from versions already loaded in number order (so pages
    that prefetch `versions` ask the database nothing more)."""
    accepted = [v for v in versions if _accepted(v)]
    in_force = accepted[-1] if accepted else None
    proposed = [v for v in versions if not v.is_draft]
    pending = proposed[-1] if proposed and not _accepted(proposed[-1]) else None
    draft = next((v for v in versions if v.is_draft), None)
    return TermsState(versions, in_force, pending, draft)


def _accepted(version: TermsVersion) -> bool:
    try:
        return version.acceptance is not None
    except TermsVersion.acceptance.RelatedObjectDoesNotExist:
        return False


@dataclass
class Cost:
    currency: str
    cash: Decimal = ZERO
    product: Decimal = ZERO
    shipping: Decimal = ZERO
    commission_paid: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.cash + self.product + self.shipping + self.commission_paid


def partnership_cost(partnership: Partnership, version: TermsVersion | None) -> Cost:
    """Cash fee and product cost of goods as agreed in `version`, plus shipping and
    commission actually paid. All Decimal; amounts in other currencies are not mixed in."""
    currency = partnership.campaign.currency
    cost = Cost(currency=currency)
    if version is not None:
        for line in version.compensation.all():
            if line.currency != currency:
                continue
            if line.kind == CompensationLine.Kind.CASH and line.amount is not None:
                cost.cash += line.amount
            elif line.kind == CompensationLine.Kind.PRODUCT and line.cost_of_goods is not None:
                cost.product += line.cost_of_goods * line.quantity
    # Iterate .all() rather than aggregate, so a prefetched campaign page costs nothing.
    cost.shipping = sum(
        (s.shipping_cost for s in partnership.shipments.all() if s.currency == currency), ZERO
    )
    cost.commission_paid = sum(
        (
            p.amount
            for p in partnership.payments.all()
            if p.currency == currency and p.kind == Payment.Kind.COMMISSION
        ),
        ZERO,
    )
    return cost


def campaign_partnerships(campaign) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(campaign=campaign)
        .select_related("influencer", "owner")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=versions_with_children(TermsVersion.objects.order_by("number")),
            ),
            Prefetch("shipments", queryset=Shipment.objects.all()),
            Prefetch("payments", queryset=Payment.objects.all()),
        )
        .order_by("influencer__name")
    )
