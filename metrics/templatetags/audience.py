"""The audience of an influencer's channels, as their own logins report it
(`{% load audience %}`, `{% audience_panel influencer %}`): influencers sit below metrics
and never import it."""

from django import template

from ..audience.selectors import audiences_of

register = template.Library()


@register.inclusion_tag("metrics/_audience.html")
def audience_panel(influencer) -> dict:
    channels = list(influencer.channels.all())
    audiences = audiences_of([c.pk for c in channels])
    return {"shown": [(c, audiences[c.pk]) for c in channels if c.pk in audiences]}
