"""Frozen settlements as CSV for accounting: one row per payee per currency.

The column names are fixed literals (accounting imports them); text cells that a
spreadsheet would run as a formula get a leading quote.
"""

import csv
from collections.abc import Iterable
from typing import IO

from django.utils import timezone

from influencers.spreadsheet.rows import neutralise

from ..models import Settlement
from .selectors import statement_of

COLUMNS = ("payee", "amount", "currency", "reference", "partnership", "campaign", "frozen_at")


def rows_of(settlement: Settlement) -> list[list[str]]:
    frozen_at = timezone.localtime(settlement.frozen_at).isoformat(timespec="seconds")
    partnership = settlement.partnership
    return [
        [
            settlement.payee,
            str(total.amount),
            total.currency,
            settlement.reference,
            str(partnership.pk),
            partnership.campaign.name,
            frozen_at,
        ]
        for total in statement_of(settlement).totals
    ]


def write_settlements(out: IO[str], settlements: Iterable[Settlement]) -> None:
    """A BOM so Excel reads UTF-8, the header, then the rows."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for settlement in settlements:
        for row in rows_of(settlement):
            writer.writerow([neutralise(cell) for cell in row])
