from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

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
def money(amount: Decimal | None, currency: str = "") -> str:
    """1500 -> "MYR 1,500.00". Decimal in, text out; never through float."""
    if amount is None:
        return "–"
    quantised = Decimal(amount).quantize(Decimal("0.01"))
    sign = "-" if quantised < 0 else ""
    whole, _, cents = f"{abs(quantised):.2f}".partition(".")
    return f"{currency} {sign}{intcomma(int(whole))}.{cents}".strip()
