"""What partnerships cost, per partnership and summed on a campaign against its budget.

The cost model (the README's "Product seeding and cost" says the same in prose):

- **Committed**: what the brand is on the hook for. Cash fees as the terms set them; product
  at cost (each product line's quantity × cost of goods each); every shipment's shipping
  (a shipment still being prepared records the expected shipping); bonuses and commission
  as paid (the terms make them conditional, so only what was paid is certain).
- **Paid**: every payment recorded, of every kind (cash fee, bonus, commission), plus
  product and shipping once the shipment is sent (goods handed over are paid in kind).
- **Outstanding**: committed minus paid, never below zero; when more was paid than
  committed the difference shows as **overpaid** instead.

A shipment fulfils a product line when its item has the line's description as its name
(case and spacing ignored): its goods then count once, at the shipment's own cost of goods,
or at the line's cost each when the shipment records none, and the line commits only the
quantity not shipped yet. A shipment matching no line counts at its own cost of goods.

The terms used are those in force, else the ones awaiting acceptance, else the draft. A
declined or cancelled partnership's terms commit nothing: what was paid or shipped still
counts, and nothing more is outstanding.

Everything is Decimal, never float, and kept per currency: amounts in another currency
than the campaign's are never added in, but reported beside it as such. Each function works
from prefetched rows, so a page showing many partnerships asks the database nothing more
per row.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from campaigns.models import Campaign

from .models import (
    CompensationLine,
    Deliverable,
    Partnership,
    Payment,
    Shipment,
    Submission,
    TermsVersion,
)
from .selectors import TermsState, terms_state_of

ZERO = Decimal("0.00")
Status = Partnership.Status
# No deal came of these, so their terms commit nothing.
CLOSED_WITHOUT_DEAL = {Status.DECLINED, Status.CANCELLED}

# The parts of a cost, in the order pages list them.
PART_LABELS = {
    "cash": gettext_lazy("Cash fee"),
    "bonus": gettext_lazy("Bonus"),
    "commission": gettext_lazy("Commission"),
    "product": gettext_lazy("Product (cost of goods)"),
    "shipping": gettext_lazy("Shipping"),
}
PAYMENT_PARTS = {
    Payment.Kind.CASH: "cash",
    Payment.Kind.BONUS: "bonus",
    Payment.Kind.COMMISSION: "commission",
}


@dataclass
class Part:
    committed: Decimal = ZERO
    paid: Decimal = ZERO


@dataclass
class Figures:
    """Committed, paid and what that leaves, in one currency."""

    currency: str
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.committed - self.paid

    @property
    def outstanding(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def overpaid(self) -> Decimal:
        return max(-self.balance, ZERO)

    def add(self, other: "Figures") -> None:
        self.committed += other.committed
        self.paid += other.paid


@dataclass
class Cost(Figures):
    """One partnership's cost in one currency, part by part."""

    parts: dict[str, Part] = field(default_factory=lambda: {key: Part() for key in PART_LABELS})
    # The same model for amounts in other currencies: shown beside, never added in.
    others: list["Cost"] = field(default_factory=list)
    # The shipments that fulfil a product line in the terms (their goods replace its cost).
    fulfilling: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.committed = sum((p.committed for p in self.parts.values()), ZERO)
        self.paid = sum((p.paid for p in self.parts.values()), ZERO)

    @property
    def rows(self) -> list[tuple[str, Part]]:
        return [(PART_LABELS[key], part) for key, part in self.parts.items()]

    @property
    def is_empty(self) -> bool:
        return not (self.committed or self.paid)


def partnership_cost(partnership: Partnership, version: TermsVersion | None) -> Cost:
    """Committed, paid and outstanding for one partnership under `version` (see the
    module's docstring for the model), in the campaign's currency, with any other
    currencies in `others`."""
    closed = partnership.status in CLOSED_WITHOUT_DEAL
    lines = [] if closed or version is None else list(version.compensation.all())
    parts: dict[str, dict[str, Part]] = {}

    def part(currency: str, key: str) -> Part:
        return parts.setdefault(currency, {k: Part() for k in PART_LABELS})[key]

    for payment in partnership.payments.all():
        part(payment.currency, PAYMENT_PARTS[payment.kind]).paid += payment.amount
    for line in lines:
        if line.kind == CompensationLine.Kind.CASH and line.amount is not None:
            part(line.currency, "cash").committed += line.amount
    fulfilling = _count_product(lines, list(partnership.shipments.all()), part)
    for by_part in parts.values():
        # Conditional pay commits what was paid; so does everything on a closed deal.
        for key in ("bonus", "commission", "cash") if closed else ("bonus", "commission"):
            by_part[key].committed = by_part[key].paid

    currency = partnership.campaign.currency
    main = Cost(currency=currency, parts=parts.pop(currency, {k: Part() for k in PART_LABELS}))
    main.others = [Cost(currency=other, parts=parts[other]) for other in sorted(parts)]
    main.fulfilling = fulfilling
    return main


def _count_product(
    lines: list[CompensationLine], shipments: list[Shipment], part
) -> frozenset[int]:
    products = [line for line in lines if line.kind == CompensationLine.Kind.PRODUCT]
    by_name = {}
    for line in products:
        by_name.setdefault(item_key(line.description), line)
    shipped: Counter[str] = Counter()
    fulfilling = set()
    for shipment in shipments:
        line = by_name.get(item_key(shipment.item))
        goods = shipment.value
        if line is not None:
            fulfilling.add(shipment.pk)
            shipped[item_key(line.description)] += shipment.quantity
            if not goods and line.cost_of_goods is not None:
                goods = line.cost_of_goods * shipment.quantity
        product, shipping = part(shipment.currency, "product"), part(shipment.currency, "shipping")
        product.committed += goods
        shipping.committed += shipment.shipping_cost
        if shipment.status != Shipment.Status.PREPARING:
            product.paid += goods
            shipping.paid += shipment.shipping_cost
    for line in products:
        if line.cost_of_goods is None:
            continue
        key = item_key(line.description)
        to_ship = max(line.quantity - shipped[key], 0)
        shipped[key] = max(shipped[key] - line.quantity, 0)  # a second line with the same name
        part(line.currency, "product").committed += line.cost_of_goods * to_ship
    return frozenset(fulfilling)


def item_key(name: str) -> str:
    """How a shipment's item is matched to a product line: case and spacing ignored."""
    return " ".join(name.split()).casefold()


@dataclass
class Row:
    partnership: Partnership
    terms: TermsState
    cost: Cost
    deliverable_count: int
    next_due_on: datetime.date | None
    # True when next_due_on is in the past: nothing left is due later, yet pieces are missing.
    next_due_overdue: bool = False


@dataclass
class BudgetSummary(Figures):
    budget: Decimal = ZERO
    outstanding_total: Decimal = ZERO
    overpaid_total: Decimal = ZERO
    rows: list[Row] = field(default_factory=list)
    # Amounts in other currencies, summed per currency: never added to the budget figures.
    others: dict[str, Figures] = field(default_factory=dict)

    @property
    def used(self) -> Decimal:
        """What the budget has to cover: committed, plus whatever was paid beyond it."""
        return self.committed + self.overpaid_total

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.used

    @property
    def over_budget(self) -> bool:
        return self.used > self.budget

    @property
    def committed_percent(self) -> int:
        if self.budget <= 0:
            return 0
        return int(self.used * 100 / self.budget)


def campaign_budget(campaign: Campaign, today: datetime.date | None = None) -> BudgetSummary:
    """Each partnership's committed, paid and outstanding (see `partnership_cost`),
    summed in the campaign's currency against its budget; other currencies beside."""
    today = today or timezone.localdate()
    summary = BudgetSummary(currency=campaign.currency, budget=campaign.budget)
    for partnership in campaign_partnerships(campaign):
        partnership.campaign = campaign  # partnership_cost reads the currency from it
        state = terms_state_of(list(partnership.versions.all()))
        cost = partnership_cost(partnership, state.costed)
        summary.add(cost)
        # Per partnership: one's overpayment does not pay off another's balance.
        summary.outstanding_total += cost.outstanding
        summary.overpaid_total += cost.overpaid
        for other in cost.others:
            summary.others.setdefault(other.currency, Figures(other.currency)).add(other)
        deliverables = list(state.current.deliverables.all()) if state.current else []
        upcoming = [d.due_on for d in deliverables if d.due_on >= today]
        overdue = []
        if not upcoming:
            handed_in = Counter(
                s.deliverable_id
                for s in partnership.submissions.all()
                if s.status != Submission.Status.NEEDS_FIX
            )
            overdue = [d.due_on for d in deliverables if handed_in[d.pk] < d.quantity]
        summary.rows.append(
            Row(
                partnership=partnership,
                terms=state,
                cost=cost,
                deliverable_count=sum(d.quantity for d in deliverables),
                next_due_on=min(upcoming or overdue, default=None),
                next_due_overdue=not upcoming and bool(overdue),
            )
        )
    return summary


def cost_chart(summary: BudgetSummary, rows: list[Row] | None = None) -> dict:
    """What each live partnership commits (of `rows`, else all), for a bar chart (amounts
    as strings: no floats on the server; the browser only draws them)."""
    rows = summary.rows if rows is None else rows
    rows = [row for row in rows if row.partnership.status not in CLOSED_WITHOUT_DEAL]
    return {
        "labels": [row.partnership.influencer.name for row in rows],
        "values": [f"{row.cost.committed:.2f}" for row in rows],
        "currency": summary.currency,
        "label": gettext("Committed"),
    }


def campaign_partnerships(campaign) -> list[Partnership]:
    """A campaign's partnerships with exactly what their costs and rows need: no frozen
    terms content, no brief, no channels or KPIs, no re-joined partnership per version.

    One query per kind of row, grouped here rather than by prefetch_related(), which
    builds a filtered queryset per object (most of the page's time at 100 partnerships).
    """
    partnerships = list(
        Partnership.objects.filter(campaign=campaign)
        .select_related("influencer")
        .only("campaign", "status", "influencer__name")
        .order_by("influencer__name", "pk")
    )
    ids = [p.pk for p in partnerships]
    versions = list(
        TermsVersion.objects.filter(partnership__in=ids)
        .select_related("acceptance")
        .only("partnership", "number", "proposed_at", "acceptance__accepted_at")
        .order_by("number")
    )
    version_ids = [v.pk for v in versions]
    deliverables = Deliverable.objects.filter(version__in=version_ids).only(
        "version", "position", "quantity", "due_on"
    )
    _attach(versions, "deliverables", deliverables, "version_id")
    _attach(
        versions,
        "compensation",
        CompensationLine.objects.filter(version__in=version_ids),
        "version_id",
    )
    _attach(partnerships, "versions", versions, "partnership_id")
    shipments = Shipment.objects.filter(partnership__in=ids).only(
        "partnership", "item", "quantity", "value", "shipping_cost", "currency", "status"
    )
    _attach(partnerships, "shipments", shipments, "partnership_id")
    payments = Payment.objects.filter(partnership__in=ids).only(
        "partnership", "kind", "amount", "currency"
    )
    _attach(partnerships, "payments", payments, "partnership_id")
    submissions = Submission.objects.filter(partnership__in=ids).only(
        "partnership", "deliverable", "status"
    )
    _attach(partnerships, "submissions", submissions, "partnership_id")
    return partnerships


def _attach(objects: list, name: str, rows, key: str) -> None:
    """Fill `obj.<name>.all()` of each object from rows already read (in their order),
    as prefetch_related() would, without a queryset per object."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    for obj in objects:
        cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[name] = grouped.get(obj.pk, [])
