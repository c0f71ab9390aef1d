"""The shop sales section, shown on the partnership page and on the portal.

Partnerships and the portal ask for it by name (`{% load shop_sales %}`,
`{% shop_sales_panel partnership %}`): one function computes the numbers, one partial
shows them, so the brand and the influencer see the same. Counts and totals only:
no order, code user or customer detail is ever in the context.
"""

from django import template

from partnerships.models import Partnership

from ..totals import sales_summary

register = template.Library()


@register.inclusion_tag("shop/_sales.html")
def shop_sales_panel(partnership: Partnership) -> dict:
    currency = partnership.campaign.currency
    return {"summary": sales_summary(partnership, currency), "currency": currency}
