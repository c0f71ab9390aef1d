"""The results tables as CSV: the columns the pages show, one line per partnership.

Numbers are plain (a dot for decimals, no grouping) so a spreadsheet reads them; each
number is followed by its label (measured, estimated, manual, no data yet) and when it
was last written (local time; blank with no data). Every text
cell a spreadsheet would run as a formula (starting with = + - @) gets a leading quote.
"""

import csv
import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from influencers.spreadsheet.rows import neutralise

from ..progress import LABEL_TEXT
from .selectors import CampaignResults, ResultRow, TrackRecord

NUMBERS = ("clicks", "sessions", "engagements", "conversions")


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else f"{value}"


def _numbers_header() -> list[str]:
    names = {
        "clicks": _("Link clicks"),
        "sessions": _("Sessions"),
        "engagements": _("Engagements"),
        "conversions": _("Conversions"),
    }
    header = []
    for name in NUMBERS:
        header += [
            names[name],
            _("%(number)s label") % {"number": names[name]},
            _("%(number)s as of") % {"number": names[name]},
        ]
    return header


def _numbers_cells(row: ResultRow) -> list[str]:
    cells = []
    for name in NUMBERS:
        reading = getattr(row.numbers, name)
        cells += [_number(reading.value), str(LABEL_TEXT[reading.label]), _moment(reading.as_of)]
    return cells


def _costs_header() -> list[str]:
    return [
        _("Currency"),
        _("Cost"),
        _("Cost per click"),
        _("Cost per engagement"),
        _("Cost per session"),
        _("Cost per conversion"),
    ]


def _costs_cells(row: ResultRow) -> list[str]:
    return [
        row.currency,
        _number(row.cost),
        _number(row.cost_per_click),
        _number(row.cost_per_engagement),
        _number(row.cost_per_session),
        _number(row.cost_per_conversion),
    ]


def _moment(at: datetime.datetime | None) -> str:
    """When a number was last written, in local time to the second (blank: no data)."""
    return timezone.localtime(at).isoformat(timespec="seconds") if at else ""


def _write(out, header: list[str], lines: list[list[str]]) -> None:
    out.write("\ufeff")  # a BOM, so Excel reads UTF-8
    writer = csv.writer(out)
    writer.writerow([neutralise(cell) for cell in header])
    for line in lines:
        writer.writerow([neutralise(str(cell)) for cell in line])


def write_campaign_results(out, results: CampaignResults) -> None:
    header = [
        _("Influencer"),
        _("Deliverables done"),
        _("Deliverables due"),
        *_numbers_header(),
        *_costs_header(),
        _("KPIs reached"),
        _("KPIs"),
    ]

    def line(row: ResultRow, name: str) -> list[str]:
        return [
            name,
            row.pieces_done,
            row.pieces_due,
            *_numbers_cells(row),
            *_costs_cells(row),
            row.kpis_reached,
            row.kpis_total,
        ]

    lines = [line(row, row.partnership.influencer.name) for row in results.rows]
    lines.append(line(results.totals, _("Total")))
    _write(out, header, lines)


def write_track_record(out, record: TrackRecord) -> None:
    header = [
        _("Campaign"),
        _("Status"),
        _("Hand-ins approved"),
        _("On time"),
        *_numbers_header(),
        *_costs_header(),
        _("KPIs reached"),
        _("KPIs"),
    ]
    lines = [
        [
            row.partnership.campaign.name,
            row.partnership.get_status_display(),
            row.pieces_done,
            row.on_time,
            *_numbers_cells(row),
            *_costs_cells(row),
            row.kpis_reached,
            row.kpis_total,
        ]
        for row in record.rows
    ]
    _write(out, header, lines)
