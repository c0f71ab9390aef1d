"""The published-posts section of a partnership page, asked for by name
(`{% load published_posts %}`, `{% partnership_posts_panel partnership %}`): partnerships
sit below metrics and never import it."""

from django import template

from partnerships.models import Partnership

from ..posts.selectors import posts_of

register = template.Library()


@register.inclusion_tag("metrics/_posts.html", takes_context=True)
def partnership_posts_panel(context, partnership: Partnership) -> dict:
    user = context.get("user")
    return {
        "partnership": partnership,
        "posts": posts_of(partnership),
        "can_edit": bool(getattr(user, "can_edit", False)),
        "csrf_token": context.get("csrf_token"),
    }
