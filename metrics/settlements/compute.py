"""The settlement arithmetic, apart from the database so it can be tested table by table.

What is owed under the terms in force:

- each cash fee, as written;
- per KPI, the bonus of the highest tier reached (`metrics.progress.kpi_progress`), in the
  campaign's currency (bonus tiers carry no currency of their own);
- per commission line with a percentage, that percentage of the partnership's revenue
  (revenue records, one per day, measured before typed), in the line's currency.

Product and perks are listed with their value but are not owed in cash. Every amount is
a Decimal rounded to the cent, half up; totals are per currency, never across two.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from common.formatting import count_text, money_text
from partnerships.models import CompensationLine

from ..progress import KpiProgress

CENT = Decimal("0.01")
Comp = CompensationLine.Kind


def cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    kind: str
    description: str
    basis: str
    amount: Decimal | None
    currency: str
    in_cash: bool


@dataclass(frozen=True)
class Total:
    currency: str
    amount: Decimal


@dataclass
class Statement:
    """Lines and totals: the same shape for a preview and for a frozen settlement."""

    lines: list[Line] = field(default_factory=list)

    @property
    def cash_lines(self) -> list[Line]:
        return [line for line in self.lines if line.in_cash]

    @property
    def non_cash_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.in_cash]

    @property
    def totals(self) -> list[Total]:
        sums: dict[str, Decimal] = {}
        for line in self.cash_lines:
            sums[line.currency] = sums.get(line.currency, Decimal("0")) + line.amount
        return [Total(currency, cents(sums[currency])) for currency in sorted(sums)]


def statement(
    *,
    compensation: list[CompensationLine],
    progress: list[KpiProgress],
    revenue: Decimal,
    bonus_currency: str,
) -> Statement:
    lines = [_cash(c) for c in compensation if c.kind == Comp.CASH]
    lines += [_bonus(row, bonus_currency) for row in progress if row.tier]
    lines += [
        _commission(c, revenue)
        for c in compensation
        if c.kind == Comp.COMMISSION and c.commission_percent is not None
    ]
    lines += [_in_kind(c) for c in compensation if c.kind in (Comp.PRODUCT, Comp.PERK)]
    return Statement(lines)


def _cash(line: CompensationLine) -> Line:
    return Line(
        kind="cash",
        description=line.description or str(Comp.CASH.label),
        basis=_("fixed fee in the terms"),
        amount=cents(line.amount),
        currency=line.currency,
        in_cash=True,
    )


def _bonus(row: KpiProgress, currency: str) -> Line:
    return Line(
        kind="bonus",
        description=_("Bonus: %(metric)s") % {"metric": row.metric_label},
        basis=_("%(metric)s %(value)s ≥ %(threshold)s: bonus tier")
        % {
            "metric": row.metric_label,
            "value": count_text(row.value),
            "threshold": count_text(row.tier.threshold),
        },
        amount=cents(row.tier.amount),
        currency=currency,
        in_cash=True,
    )


def _commission(line: CompensationLine, revenue: Decimal) -> Line:
    percent = Decimal(line.commission_percent)
    return Line(
        kind="commission",
        description=line.description or str(Comp.COMMISSION.label),
        basis=_("%(percent)s%% of revenue %(revenue)s")
        % {
            "percent": format(percent.normalize(), "f"),
            "revenue": money_text(revenue, line.currency),
        },
        amount=cents(Decimal(revenue) * percent / 100),
        currency=line.currency,
        in_cash=True,
    )


def _in_kind(line: CompensationLine) -> Line:
    """Goods and perks: their value is shown, nothing is owed in cash."""
    each = line.retail_value if line.retail_value is not None else line.cost_of_goods
    if line.kind == Comp.PRODUCT:
        value = cents(each * line.quantity) if each is not None else None
        description = f"{line.quantity} × {line.description}"
        basis = _("in kind, at retail value") if line.retail_value is not None else _("in kind")
    else:
        value = cents(line.amount) if line.amount is not None else None
        description, basis = line.description, _("in kind")
    return Line(line.kind, description, basis, value, line.currency, in_cash=False)
