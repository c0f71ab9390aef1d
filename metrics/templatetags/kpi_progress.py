"""The KPI progress section, shown on the partnership page and on the portal.

Partnerships sit below metrics and never import it, so both pages ask for the panel
by name (`{% load kpi_progress %}`, `{% kpi_progress_panel partnership %}`): one
function computes the numbers, one partial shows them, so both sides see the same.
"""

from django import template

from partnerships.models import Partnership

from ..progress import kpi_progress

register = template.Library()


@register.inclusion_tag("metrics/_kpi_progress.html", takes_context=True)
def kpi_progress_panel(context, partnership: Partnership, currency: str = "") -> dict:
    user = context.get("user")
    return {
        "partnership": partnership,
        "rows": kpi_progress(partnership),
        "currency": currency,
        "can_enter": bool(getattr(user, "can_edit", False)),
    }
