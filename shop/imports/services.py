"""Orders uploaded as CSV, for shops that send no webhooks (marketplace exports such as
Shopee, Lazada and TikTok Shop, or any other shop).

The marketer says which column holds what (`Mapping`); every row is checked and every
problem named by row number; nothing is stored unless every row is good. Each row
becomes a delivery like a webhook's (event `csv:placed` or `csv:cancelled`), so
uploading the same file again adds nothing and a later export that shows an order as
cancelled takes it off on the day given.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from common.fields import parse_decimal
from metrics.manual.csv_entry import CsvRejected, RowError

from ..models import OrderEvent, ShopConnection
from ..services import deliveries_store

MAX_BYTES = 2_000_000
MAX_ROWS = 10_000
FORMULA_STARTS = ("=", "+", "@", "\t", "\r", "-")
# Status words of marketplace exports that mean the sale did not happen.
CANCELLED_WORDS = {"cancelled", "canceled", "cancel", "failed", "returned", "refunded", "batal"}
FIELDS = (
    "order_id",
    "placed_at",
    "amount",
    "currency",
    "codes",
    "landing_url",
    "status",
    "status_at",
)
REQUIRED = ("order_id", "placed_at", "amount", "currency")


@dataclass(frozen=True)
class Mapping:
    """Which column (its header, case ignored) holds each field; empty: not in the file."""

    order_id: str = "order_id"
    placed_at: str = "placed_at"
    amount: str = "amount"
    currency: str = "currency"
    codes: str = "discount_codes"
    landing_url: str = "landing_url"
    status: str = "status"
    status_at: str = "status_at"


def _error(message: str) -> CsvRejected:
    return CsvRejected([RowError(0, message)])


def _reader(data: bytes, mapping: Mapping) -> csv.DictReader:
    if len(data) > MAX_BYTES:
        raise _error(_("The file is larger than 2 MB; split it into smaller files."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None
    if "\x00" in text:
        raise _error(_("The file is not a CSV text file."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [
        getattr(mapping, f) or f
        for f in REQUIRED
        if (getattr(mapping, f) or "").strip().lower() not in reader.fieldnames
    ]
    if missing:
        raise _error(_("Missing columns: %(c)s.") % {"c": ", ".join(missing)})
    return reader


def _when(text: str, name: str) -> datetime.datetime:
    at = parse_datetime(text) if len(text) > 10 else None
    if at is None:
        day = parse_date(text) if len(text) == 10 else None
        if day is None:
            raise ValidationError(
                _("%(f)s: not a date like 2026-11-30 or 2026-11-30 14:05.") % {"f": name}
            )
        at = datetime.datetime.combine(day, datetime.time(12))
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def _row(cells: dict[str, str]) -> tuple[str, str, dict]:
    for name, text in cells.items():
        if text.startswith(FORMULA_STARTS):
            raise ValidationError(_("%(f)s looks like a spreadsheet formula.") % {"f": name})
    order_id = cells["order_id"]
    if not order_id or len(order_id) > 64:
        raise ValidationError(_("order_id: give the order's id (up to 64 characters)."))
    placed = _when(cells["placed_at"], "placed_at")
    try:
        amount = parse_decimal(cells["amount"])
    except ValueError:
        raise ValidationError(_("amount: not a number.")) from None
    if amount < 0 or amount >= 10**12:
        raise ValidationError(_("amount: a number from 0 up."))
    currency = cells["currency"].upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise ValidationError(_("currency: a three-letter code such as MYR."))
    codes = [
        c.strip()[:60] for c in cells.get("codes", "").replace(";", ",").split(",") if c.strip()
    ]
    order = {
        "id": order_id,
        "placed_at": placed.isoformat(),
        "currency": currency,
        "net": str(amount.quantize(parse_decimal("0.01"))),
        "codes": codes,
        "landing_url": cells.get("landing_url", "")[:2000],
    }
    events, event = [], "csv:placed"
    if cells.get("status", "").lower() in CANCELLED_WORDS:
        at = _when(cells["status_at"], "status_at") if cells.get("status_at") else placed
        events = [
            {"key": "cancel", "kind": OrderEvent.Kind.CANCEL, "at": at.isoformat(), "amount": "0"}
        ]
        event = "csv:cancelled"
    return order_id, event, {"order": order, "events": events}


def parse_orders(*, data: bytes, mapping: Mapping) -> list[tuple[str, str, dict]]:
    reader = _reader(data, mapping)
    columns = {f: (getattr(mapping, f) or "").strip().lower() for f in FIELDS}
    items, errors, number = [], [], 1
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise _error(_("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
            cells = {f: (raw.get(c) or "").strip() for f, c in columns.items() if c}
            if not any(cells.values()):
                continue
            try:
                items.append(_row(cells))
            except ValidationError as exc:
                errors.extend(RowError(number, message) for message in exc.messages)
    except csv.Error as exc:
        raise _error(
            _("Row %(row)s cannot be read as CSV (%(p)s).") % {"row": number + 1, "p": exc}
        ) from None
    if errors:
        raise CsvRejected(errors)
    if not items:
        raise _error(_("The file has no orders."))
    return items


@transaction.atomic
def orders_import_csv(*, connection: ShopConnection, data: bytes, mapping: Mapping) -> int:
    """Store every row as a delivery, or none (CsvRejected). The number of rows read."""
    items = parse_orders(data=data, mapping=mapping)
    deliveries_store(connection=connection, items=items)
    return len(items)
