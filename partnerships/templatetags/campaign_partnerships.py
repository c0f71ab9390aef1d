"""The partnerships part of a campaign page: budget summary and partnerships table.

Campaigns sit below partnerships and never import them, so the campaign detail page
asks for this panel by name: `{% load campaign_partnerships %}` and
`{% campaign_partnerships_panel campaign %}`. Everything below is computed from one
prefetched queryset, so the page's query count does not grow with its partnerships.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Campaign
from partnerships.models import Partnership
from partnerships.selectors import (
    TermsState,
    campaign_partnerships,
    partnership_cost,
    terms_state_of,
)

register = template.Library()

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


@register.inclusion_tag("partnerships/_campaign_panel.html", takes_context=True)
def campaign_partnerships_panel(context, campaign: Campaign) -> dict:
    user = context.get("user")
    summary = campaign_budget(campaign)
    return {
        "campaign": campaign,
        "summary": summary,
        "chart": cost_chart(summary),
        "can_add": bool(user and user.can_edit) and campaign.status != Campaign.Status.ENDED,
        "user": user,
    }
