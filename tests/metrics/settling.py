"""Shared by the settlement tests: a partnership with accepted terms, completed, with
numbers typed in."""

import datetime
from decimal import Decimal

from django.utils import timezone

from metrics.manual.services import metric_enter_manual
from metrics.models import Metric
from partnerships import services as partnership_services
from tests.factories import make_accepted_partnership

MYR = "MYR"


def accepted(marketer, user, name="Ina Creator", compensation=None):
    """Accepted terms: cash MYR 1,500, 10% commission, sessions 2,000 with a tier at 3,000."""
    return make_accepted_partnership(
        marketer, user, name, quantity=1,
        compensation=compensation or [
            {"kind": "cash", "amount": Decimal("1500.00"), "currency": MYR},
            {"kind": "commission", "commission_percent": Decimal("10"), "currency": MYR},
        ],
        kpis=[{"metric": "sessions", "target": 2000,
               "bonus_tiers": [{"threshold": 3000, "amount": "300.00"}]}],
    )  # fmt: skip


def complete(partnership, marketer):
    for status in ("active", "completed"):
        partnership = partnership_services.partnership_transition(
            partnership=partnership, to_status=status, by=marketer, reason="Done"
        )
    return partnership


def numbers(partnership, marketer):
    day = timezone.localdate() - datetime.timedelta(days=1)
    for metric, value, on in (
        (Metric.SESSIONS, "3120", day),
        (Metric.REVENUE, "1000.05", day),
        (Metric.REVENUE, "234.50", day - datetime.timedelta(days=1)),
    ):
        metric_enter_manual(
            partnership=partnership, metric=metric, day=on, value=Decimal(value), by=marketer
        )
