"""The partnerships section of an influencer's profile: their history across campaigns.

The influencers app sits below partnerships and cannot import it, so its profile page
loads the relationship by name (`{% influencer_relationship influencer as relationship %}`)
and hands it to this panel and to the contacts panel (relationship_tags), so the
influencer's partnerships are read once for both. The numbers come from
`partnerships.relationships.selectors`.
"""

from django import template
from django.utils import timezone

from influencers.models import Influencer
from partnerships.relationships import selectors
from partnerships.relationships.selectors import Relationship

register = template.Library()


@register.simple_tag(name="influencer_relationship")
def relationship_of(influencer: Influencer) -> Relationship:
    return selectors.influencer_relationship(influencer, timezone.localdate())


@register.inclusion_tag("partnerships/_influencer_partnerships.html", takes_context=True)
def influencer_partnerships_panel(
    context, influencer: Influencer, relationship: Relationship
) -> dict:
    return {
        "influencer": influencer,
        "relationship": relationship,
        "user": context.get("user"),
    }
