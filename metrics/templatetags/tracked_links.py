"""The tracked-links section of a partnership page.

Partnerships sit below metrics and never import it, so the partnership page asks for
this panel by name: `{% load tracked_links %}` and `{% partnership_links_panel p %}`.
"""

import segno
from django import template
from django.utils.safestring import mark_safe

from partnerships.models import Partnership

from ..links.selectors import links_of

register = template.Library()


@register.inclusion_tag("metrics/_partnership_links.html", takes_context=True)
def partnership_links_panel(context, partnership: Partnership) -> dict:
    request = context.get("request")
    return {
        "partnership": partnership,
        "links": list(links_of(partnership)),
        "user": context.get("user"),
        "base": request.build_absolute_uri("/")[:-1] if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (segno draws paths only: no text, no script)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, svgclass="qr-code", omitsize=False, light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no input text in it
