"""One number with its label badge and "as of", for the results tables.

A tag rather than an included partial: a campaign of 100 partnerships shows 400 of
them, and an include per cell was most of the page's rendering time. The number is
digits and separators and the badge class and label key are our constants, so only
the translated words are escaped."""

import datetime

from django import template
from django.template.defaultfilters import date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag(takes_context=True)
def reading(context, value: Reading) -> SafeString:
    html = (
        f"<span data-value>{formatting.count_text(value.value)}</span> "
        f'<span class="badge text-bg-{BADGE[value.label]}" data-label="{value.label}">'
        f"{escape(LABEL_TEXT[value.label])}</span>"
    )
    if value.as_of is not None:
        # Many cells share the moment of the last rollup: format each moment once a page.
        moments = context.render_context.setdefault("results_as_of", {})
        if value.as_of not in moments:
            moments[value.as_of] = escape(f"{gettext('as of')} {_when(value.as_of)}")
        html += (
            '<div class="small text-body-secondary text-nowrap" data-as-of>'
            f"{moments[value.as_of]}</div>"
        )
    return mark_safe(html)  # noqa: S308 - every text part is escaped above


def _when(moment: datetime.datetime) -> str:
    return date(moment, "j M H:i")
