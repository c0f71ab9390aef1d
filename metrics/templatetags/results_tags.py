"""One number with its label badge and "as of", for the results tables.

A tag rather than an included partial: a campaign of 100 partnerships shows 400 of
them, and an include per cell was most of the page's rendering time."""

from django import template
from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from common import formatting

from ..progress import LABEL_TEXT, Label, Reading

register = template.Library()

BADGE = {
    Label.MANUAL: "info",
    Label.ESTIMATED: "warning",
    Label.NO_DATA: "light",
    Label.MEASURED: "secondary",
}


@register.simple_tag
def reading(value: Reading) -> SafeString:
    badge = format_html(
        '<span data-value>{}</span> <span class="badge text-bg-{}" data-label="{}">{}</span>',
        formatting.count_text(value.value),
        BADGE[value.label],
        value.label,
        LABEL_TEXT[value.label],
    )
    if value.as_of is None:
        return badge
    return format_html(
        '{}<div class="small text-body-secondary text-nowrap" data-as-of>{} {}</div>',
        badge,
        gettext("as of"),
        date(value.as_of, "j M H:i"),
    )
