"""Bounds and text rules every model shares, so forms, the admin, the CSV import and
services all refuse the same values (`full_clean` runs these validators on each path).

Numbers get limits a person could mean: a 10^12-day exclusivity is a typo that would
only fail later, deep in another page, as a database error. Dates get a plausible
window per field (see `check_date`). Single-line text refuses control characters: a CR
or LF in a name ends up in an email header, a NUL cannot be stored at all.
"""

import datetime
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Money columns are numeric(12, 2): at most 9,999,999,999.99 (under 10^12).
MAX_MONEY = Decimal("9999999999.99")
# Day counts in terms (usage rights, exclusivity): ten years.
MAX_DAYS = 3650
# Units of a product shipped or promised.
MAX_QUANTITY = 10_000
# Pieces of one deliverable (each is handed in and reviewed on its own).
MAX_PIECES = 100
# Followers of one account; the largest accounts in the world are below this.
MAX_FOLLOWERS = 1_000_000_000
# A KPI target or a bonus threshold (views, clicks, conversions...).
MAX_TARGET = 1_000_000_000

# Nothing in the app's records happened before this.
EARLIEST_DATE = datetime.date(2000, 1, 1)

MONEY_NOT_NEGATIVE = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)]
MONEY_POSITIVE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_MONEY)]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def up_to(maximum: int, minimum: int = 0) -> list:
    """[MinValueValidator(minimum), MaxValueValidator(maximum)] for a model field."""
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


# Zero-width (non-)joiners hold emoji sequences and some scripts together; every other
# format character (bidi overrides, invisible separators, BOM) is refused.
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
SINGLE_LINE_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
TEXT_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def validate_single_line(value: str) -> None:
    """One line of visible text: no CR, LF, TAB, NUL or other control/format character."""
    for character in str(value):
        category = unicodedata.category(character)
        if category in SINGLE_LINE_REFUSED_CATEGORIES and character not in (
            ALLOWED_FORMAT_CHARACTERS
        ):
            raise ValidationError(
                _(
                    "Use one line of plain text: remove the line break, tab or invisible "
                    "control character (%(character)s)."
                ),
                code="control_character",
                params={"character": _describe(character)},
            )


def validate_text(value: str) -> None:
    """Free text over several lines: line breaks and tabs, but no other control character
    (a NUL cannot even be stored in Postgres)."""
    for character in str(value):
        if unicodedata.category(character) == "Cc" and character not in TEXT_ALLOWED_CONTROLS:
            raise ValidationError(
                _("Remove the invisible control character (%(character)s) from the text."),
                code="control_character",
                params={"character": _describe(character)},
            )


def years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_date(
    errors: dict,
    field: str,
    value: datetime.date | datetime.datetime | None,
    *,
    earliest: datetime.date = EARLIEST_DATE,
    latest: datetime.date | None = None,
) -> None:
    """Add to `errors` (a clean() dict) when `value` falls outside [earliest, latest]; a
    year-0001 or year-2099 date is a slip of the keyboard, not a plan."""
    if value is None or field in errors:
        return
    day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
    if day < earliest:
        errors[field] = ValidationError(
            _("Enter a date from %(earliest)s on."),
            code="date_too_early",
            params={"earliest": earliest.isoformat()},
        )
    elif latest is not None and day > latest:
        errors[field] = ValidationError(
            _("Enter a date no later than %(latest)s."),
            code="date_too_late",
            params={"latest": latest.isoformat()},
        )


def today() -> datetime.date:
    return timezone.localdate()
