"""The partnerships part of a campaign page: budget summary and partnerships table.

Campaigns sit below partnerships and never import them, so the campaign detail page
asks for this panel by name: `{% load campaign_partnerships %}` and
`{% campaign_partnerships_panel campaign %}`. The numbers come from `partnerships.costs`.
"""

from django import template
from django.core.paginator import Paginator

from campaigns.models import Campaign
from partnerships.costs import campaign_budget, cost_chart

register = template.Library()

# Rows per page of the partnerships table; the budget and the chart cover them all.
ROWS_PER_PAGE = 25


@register.inclusion_tag("partnerships/_campaign_panel.html", takes_context=True)
def campaign_partnerships_panel(context, campaign: Campaign) -> dict:
    user = context.get("user")
    summary = campaign_budget(campaign)
    request = context.get("request")
    page = Paginator(summary.rows, ROWS_PER_PAGE).get_page(request and request.GET.get("page"))
    return {
        "page": page,
        "campaign": campaign,
        "summary": summary,
        # The chart draws the rows of the page: 100 bars would be unreadable.
        "chart": cost_chart(summary, list(page.object_list)),
        "can_add": bool(user and user.can_edit) and campaign.status != Campaign.Status.ENDED,
        "user": user,
    }
