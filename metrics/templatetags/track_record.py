"""The "Track record" card of an influencer's profile.

Influencers sit below metrics and never import it, so the profile asks for the card
by name (`{% load track_record %}`, `{% influencer_track_record_panel influencer
relationship %}`), handing over the partnerships (with their costs) the page has
already read for its other panels.
"""

from django import template

from influencers.models import Influencer
from partnerships.relationships.selectors import Relationship

from ..results.selectors import track_record

register = template.Library()


@register.inclusion_tag("metrics/_track_record.html")
def influencer_track_record_panel(influencer: Influencer, relationship: Relationship) -> dict:
    return {"influencer": influencer, "record": track_record(relationship)}
