"""What partnerships cost, per partnership and summed on a campaign against its budget.

All Decimal, never float; amounts in another currency than the campaign's are not mixed
in. Each function works from prefetched rows, so a page showing many partnerships asks
the database nothing more per row.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Campaign

from .models import CompensationLine, Partnership, Payment, Shipment, TermsVersion
from .selectors import TermsState, terms_state_of, versions_with_children

ZERO = Decimal("0.00")
Status = Partnership.Status
# Terms the influencer accepted: what they cost is money spent (or owed).
SPENDING_STATUSES = {Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED}
# No deal came of these, so their terms commit nothing.
CLOSED_WITHOUT_DEAL = {Status.DECLINED, Status.CANCELLED}


@dataclass
class Row:
    partnership: Partnership
    terms: TermsState
    cost: Decimal
    deliverable_count: int
    next_due_on: datetime.date | None


@dataclass
class BudgetSummary:
    currency: str
    budget: Decimal
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    rows: list[Row] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over_budget(self) -> bool:
        return self.committed > self.budget

    @property
    def committed_percent(self) -> int:
        if self.budget <= 0:
            return 0
        return int(self.committed * 100 / self.budget)


def campaign_budget(campaign: Campaign, today: datetime.date | None = None) -> BudgetSummary:
    """Committed: each open partnership's cost under the terms in force, else the ones
    awaiting acceptance, else the draft. Spent: the accepted terms' cost, for
    partnerships whose terms were accepted."""
    today = today or timezone.localdate()
    summary = BudgetSummary(currency=campaign.currency, budget=campaign.budget)
    for partnership in campaign_partnerships(campaign):
        partnership.campaign = campaign  # partnership_cost reads the currency from it
        state = terms_state_of(list(partnership.versions.all()))
        costed = state.costed
        cost = partnership_cost(partnership, costed).total
        if partnership.status not in CLOSED_WITHOUT_DEAL:
            summary.committed += cost
        if partnership.status in SPENDING_STATUSES and state.in_force is not None:
            summary.spent += partnership_cost(partnership, state.in_force).total
        deliverables = list(state.current.deliverables.all()) if state.current else []
        upcoming = [d.due_on for d in deliverables if d.due_on >= today]
        summary.rows.append(
            Row(
                partnership=partnership,
                terms=state,
                cost=cost,
                deliverable_count=sum(d.quantity for d in deliverables),
                next_due_on=min(upcoming, default=None),
            )
        )
    return summary


def cost_chart(summary: BudgetSummary) -> dict:
    """What each live partnership costs, for a bar chart (amounts as strings: no floats
    on the server; the browser only draws them)."""
    rows = [row for row in summary.rows if row.partnership.status not in CLOSED_WITHOUT_DEAL]
    return {
        "labels": [row.partnership.influencer.name for row in rows],
        "values": [f"{row.cost:.2f}" for row in rows],
        "currency": summary.currency,
        "label": gettext("Cost"),
    }


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
