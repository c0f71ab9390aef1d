"""The tracked-links section of a partnership page.

Partnerships sit below metrics and never import it, so the partnership page asks for
this panel by name: `{% load tracked_links %}` and `{% partnership_links_panel p %}`.
"""

from django import template

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
