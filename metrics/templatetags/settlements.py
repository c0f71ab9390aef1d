"""The settlement card of a partnership, on the marketer's page and on the portal.

Partnerships and the portal never compute it themselves: they ask for the panel by name
(`{% load settlements %}`, `{% settlement_panel partnership in_force %}`), so both sides read the
same lines and totals.
"""

from django import template

from partnerships.models import Partnership, TermsVersion

from ..settlements.selectors import preview_under, settlement_of, statement_of

register = template.Library()


@register.inclusion_tag("metrics/_settlement.html", takes_context=True)
def settlement_panel(
    context, partnership: Partnership, in_force: TermsVersion | None, portal: bool = False
) -> dict:
    """`in_force` is the page's terms version in force (None: nothing to settle)."""
    user = context.get("user")
    # Only a completed partnership can have been settled: others cost no query for it.
    completed = partnership.status == Partnership.Status.COMPLETED
    settlement = settlement_of(partnership) if completed else None
    statement = statement_of(settlement) if settlement else preview_under(partnership, in_force)
    return {
        "partnership": partnership,
        "settlement": settlement,
        "statement": statement,
        "portal": portal,
        "can_freeze": (
            not portal
            and completed
            and settlement is None
            and in_force is not None
            and bool(getattr(user, "can_edit", False))
        ),
    }
