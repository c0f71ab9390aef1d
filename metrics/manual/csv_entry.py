"""Numbers for a campaign's partnerships uploaded as a CSV (columns `partnership`,
`influencer`, `metric`, `day`, `value`): the manual service's rules on every row, every
problem named by row number, and nothing written unless every row is good (one
`records_upsert` call, source csv). Uploading the same file again changes nothing."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from campaigns.models import Campaign
from common.fields import parse_decimal, parse_integer
from influencers.spreadsheet.rows import neutralise

from ..models import Granularity, Metric, Source
from ..models.records import MAX_VALUE
from ..services import Row, records_upsert
from .services import MANUAL_METRICS, check_typed_in

COLUMNS = ("partnership", "influencer", "metric", "day", "value")
REQUIRED = ("partnership", "metric", "day", "value")
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    message: str


class CsvRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


def _file_error(message: str) -> CsvRejected:
    return CsvRejected([RowError(0, message)])


def _read(data: bytes) -> csv.DictReader:
    if len(data) > MAX_BYTES:
        raise _file_error(_("The file is larger than 1 MB; split it into smaller files."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    if "\x00" in text:
        raise _file_error(_("The file is not a CSV text file."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise _file_error(
            _("Missing columns: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    return reader


def _cell_problem(cells: dict[str, str]) -> str | None:
    for column, text in cells.items():
        if text.startswith(FORMULA_STARTS) or (text.startswith("-") and column != "value"):
            return _("%(column)s looks like a spreadsheet formula; type plain values.") % {
                "column": column
            }
    return None


def _parse_row(cells: dict[str, str], partnerships: dict[int, str]) -> tuple:
    problem = _cell_problem(cells)
    if problem:
        raise ValidationError(problem)
    try:
        partnership = parse_integer(cells["partnership"])
    except ValueError:
        raise ValidationError(_("partnership: not a partnership number.")) from None
    if partnership not in partnerships:
        raise ValidationError(
            _("partnership: no partnership %(id)s in this campaign.") % {"id": partnership}
        )
    metric = cells["metric"].lower()
    try:
        day = datetime.date.fromisoformat(cells["day"]) if len(cells["day"]) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("day: not a date like 2026-11-30."))
    try:
        value = parse_decimal(cells["value"])
    except ValueError:
        raise ValidationError(_("value: not a number.")) from None
    if value < 0 or value > MAX_VALUE or value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("value: must be between 0 and %(max)s with at most two decimals.")
            % {"max": f"{MAX_VALUE:,}"}
        )
    try:
        check_typed_in(metric=metric, day=day)
    except ValidationError as exc:
        raise ValidationError(
            [f"{field}: {message}" for field, msgs in exc.message_dict.items() for message in msgs]
        ) from None
    return partnership, metric, day, value


def _records(reader: csv.DictReader):
    """(row number as a spreadsheet shows it, cells); a broken file is one error."""
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise _file_error(_("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
            yield number, raw
    except csv.Error as exc:
        raise _file_error(
            _("Row %(row)s cannot be read as CSV (%(problem)s).")
            % {"row": number + 1, "problem": exc}
        ) from None


def parse_csv(*, campaign: Campaign, data: bytes) -> list[Row]:
    """The rows to write, or CsvRejected listing every problem. A row with no value is
    skipped (the template lists every partnership; fill in only what you have)."""
    reader = _read(data)
    partnerships = dict(campaign.partnerships.values_list("pk", "influencer__name"))
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for number, raw in _records(reader):
        cells = {k: (v or "").strip() for k, v in raw.items() if k in COLUMNS}
        if not cells.get("value"):
            continue
        try:
            key = _parse_row(cells, partnerships)
        except ValidationError as exc:
            errors.extend(RowError(number, message) for message in exc.messages)
            continue
        if key[:3] in seen:
            errors.append(
                RowError(number, _("the same number as row %(row)s.") % {"row": seen[key[:3]]})
            )
            continue
        seen[key[:3]] = number
        rows.append(_row(*key))
    if errors:
        raise CsvRejected(errors)
    if not rows:
        raise _file_error(_("The file has no numbers in it."))
    return rows


def _row(partnership: int, metric: str, day: datetime.date, value: Decimal) -> Row:
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return Row(
        metric=metric,
        at=midnight,
        value=value,
        source=Source.CSV,
        granularity=Granularity.DAY,
        partnership=partnership,
    )


@transaction.atomic
def metrics_import_csv(*, campaign: Campaign, data: bytes, by: User) -> int:
    """All rows or none; returns how many numbers were written."""
    if not by.can_edit:
        raise PermissionDenied
    rows = parse_csv(campaign=campaign, data=data)
    records_upsert(rows)
    return len(rows)


def write_template(out, *, campaign: Campaign) -> None:
    """One line per partnership of the campaign, ready to fill in. A BOM so Excel reads
    UTF-8; names neutralised so a spreadsheet does not run them."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    today = timezone.localdate().isoformat()
    partnerships = campaign.partnerships.order_by("influencer__name").values_list(
        "pk", "influencer__name"
    )
    for pk, name in partnerships:
        writer.writerow([pk, neutralise(name), Metric.SESSIONS, today, ""])


def metric_choices() -> str:
    return ", ".join(str(m) for m in MANUAL_METRICS)
