"""Scoped reads: every campaign view gets its campaign through here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Campaign


def campaign_for_user(user: User, pk: int, *, write: bool = False) -> Campaign:
    """The one door: 404 if missing or not visible, 403 if a read-only user wants to write."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(user).select_related("owner", "default_terms"), pk=pk
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return campaign


def campaign_list(user: User, filters: dict) -> QuerySet[Campaign]:
    """Campaigns as the list page asks, each with its partnership count, in one query."""
    qs = (
        Campaign.objects.visible_to(user)
        .select_related("owner")
        .annotate(partnership_count=Count("partnerships"))
    )
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(brand__icontains=filters["q"]))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by("-starts_on", "name", "pk")
