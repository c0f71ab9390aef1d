"""How numbers and amounts read on every page, in both languages.

One grouping everywhere: counts as "2,000", amounts as "MYR 1,500.00". Malaysians write
their own currency as "RM 1,500.00", so the Malay interface does; other currencies keep
their ISO code in both languages. Decimal in, text out; never through float. Malay and
English both group with a comma and mark decimals with a point, so the text does not
depend on Django's locale formats.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# The currencies a language writes with a symbol of its own instead of the ISO code.
LOCAL_SYMBOLS = {"ms": {"MYR": "RM"}}


def currency_label(currency: str) -> str:
    """ "MYR" -> "RM" in Malay, "MYR" in English; other codes as they are."""
    language = (get_language() or "").split("-")[0]
    return LOCAL_SYMBOLS.get(language, {}).get(currency, currency)


def amount_text(amount: Decimal | str | int | None) -> str:
    """1500 -> "1,500.00"; accepts the strings the terms store amounts as."""
    if amount is None or amount == "":
        return "–"
    quantised = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{quantised:,.2f}"


def money_text(amount: Decimal | str | int | None, currency: str = "") -> str:
    """ "MYR 1,500.00" (English), "RM 1,500.00" (Malay), "-RM 20.00"; "1,500.00" with no
    currency."""
    if amount is None or amount == "":
        return "–"
    quantised = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if quantised < 0 else ""
    label = f"{currency_label(currency)} " if currency else ""
    return f"{sign}{label}{amount_text(abs(quantised))}"


def count_text(number: int | str | None) -> str:
    """2000 -> "2,000", in both languages."""
    if number is None or number == "":
        return "–"
    return f"{int(number):,}"


def duration_text(seconds: int | Decimal | None) -> str:
    """185 -> "3 min 5 s" (a view's average length)."""
    if seconds is None:
        return "–"
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return _("%(seconds)d s") % {"seconds": rest}
    return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
