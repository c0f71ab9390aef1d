"""The audience of an influencer's channels, as their own logins report it
(`{% load audience %}`, `{% audience_panel channels %}`): influencers sit below metrics
and never import it."""

from django import template

from ..audience.selectors import audiences_of

register = template.Library()


@register.inclusion_tag("metrics/_audience.html")
def audience_panel(channels) -> dict:
    """`channels`: the influencer's, already read by the page (one more query here)."""
    channels = list(channels)
    audiences = audiences_of([c.pk for c in channels])
    return {"shown": [(c, audiences[c.pk]) for c in channels if c.pk in audiences]}
