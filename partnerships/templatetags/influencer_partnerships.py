"""The partnerships section of an influencer's profile: their history across campaigns.

The influencers app sits below partnerships and cannot import it, so its profile page
includes this tag by name. The numbers come from `partnerships.relationships.selectors`.
"""

from django import template
from django.utils import timezone

from influencers.models import Influencer
from partnerships.relationships.selectors import influencer_relationship

register = template.Library()


@register.inclusion_tag("partnerships/_influencer_partnerships.html", takes_context=True)
def influencer_partnerships_panel(context, influencer: Influencer) -> dict:
    return {
        "influencer": influencer,
        "relationship": influencer_relationship(influencer, timezone.localdate()),
        "user": context.get("user"),
    }
