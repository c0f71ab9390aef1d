"""The settlement card of a partnership, on the marketer's page and on the portal.

Partnerships and the portal never compute it themselves: they ask for the panel by name
(`{% load settlements %}`, `{% settlement_panel partnership %}`), so both sides read the
same lines and totals.
"""

from django import template

from partnerships.models import Partnership

from ..settlements.selectors import settlement_of, settlement_preview, statement_of

register = template.Library()


@register.inclusion_tag("metrics/_settlement.html", takes_context=True)
def settlement_panel(context, partnership: Partnership, portal: bool = False) -> dict:
    user = context.get("user")
    settlement = settlement_of(partnership)
    statement = statement_of(settlement) if settlement else settlement_preview(partnership)
    return {
        "partnership": partnership,
        "settlement": settlement,
        "statement": statement,
        "portal": portal,
        "can_freeze": (
            not portal
            and settlement is None
            and bool(getattr(user, "can_edit", False))
            and partnership.status == Partnership.Status.COMPLETED
            and bool(getattr(statement, "version", None))
        ),
    }
