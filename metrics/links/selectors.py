"""Scoped reads of tracked links: marketers through their partnerships, influencers
only their own (through the portal door of partnerships)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from partnerships.models import Partnership

from ..models import Click, TrackedLink


def link_for_user(user: User, pk: int, *, write: bool = False) -> TrackedLink:
    visible = Partnership.objects.visible_to(user)
    link = get_object_or_404(
        TrackedLink.objects.select_related("partnership").filter(partnership__in=visible), pk=pk
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return link


def links_of(partnership: Partnership) -> QuerySet[TrackedLink]:
    """The partnership's links with their click counts so far (people, and the rest)."""
    return (
        partnership.tracked_links.select_related("channel")
        .annotate(
            human_clicks=Count("clicks", filter=Q(clicks__kind=Click.Kind.HUMAN)),
            other_clicks=Count("clicks", filter=~Q(clicks__kind=Click.Kind.HUMAN)),
        )
        .order_by("-is_active", "-created_at", "-pk")
    )


def portal_links(partnership: Partnership) -> QuerySet[TrackedLink]:
    """The links an influencer shares: the live ones of a partnership that came through
    the portal's own door (`partnerships.selectors.portal_partnership`)."""
    return links_of(partnership).filter(is_active=True)
