from decimal import Decimal

from django import template
from django.utils.html import format_html

from common import formatting
from partnerships.models import Partnership

register = template.Library()

STATUS_COLOURS = {
    Partnership.Status.DRAFT: "secondary",
    Partnership.Status.PROPOSED: "warning",
    Partnership.Status.ACCEPTED: "info",
    Partnership.Status.ACTIVE: "success",
    Partnership.Status.COMPLETED: "dark",
    Partnership.Status.DECLINED: "danger",
    Partnership.Status.CANCELLED: "danger",
}


@register.simple_tag
def partnership_status_badge(status: str) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_COLOURS.get(status, "secondary"),
        Partnership.Status(status).label,
    )


@register.filter
def money(amount: Decimal | str | None, currency: str = "") -> str:
    """1500 -> "MYR 1,500.00" in English, "RM 1,500.00" in Malay (see `formatting`)."""
    return formatting.money_text(amount, currency)


@register.filter
def count(number: int | str | None) -> str:
    """2000 -> "2,000": the grouping amounts use, for counts and targets."""
    return formatting.count_text(number)


@register.filter
def currency_label(currency: str) -> str:
    """ "MYR" -> "RM" in Malay; for sentences that place the amount themselves."""
    return formatting.currency_label(currency)


@register.filter
def amount(value: Decimal | str | None) -> str:
    """1500 -> "1,500.00", with no currency."""
    return formatting.amount_text(value)


@register.filter
def fingerprint(digest: str | None) -> str:
    """A SHA-256 hex digest -> "3f2a 9c1b 07de": its first 12 hex characters, grouped in
    fours, short enough to compare by eye (the full value stays one click away)."""
    head = (digest or "")[:12]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))
