"""Scoped reads: every campaign view gets its campaign through here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
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


def campaign_list(user: User) -> QuerySet[Campaign]:
    """Campaigns for the list page, each with its partnership count, in one query;
    `filters.CampaignFilter` narrows them."""
    return (
        Campaign.objects.visible_to(user)
        .select_related("owner")
        .annotate(partnership_count=Count("partnerships"))
        .order_by("-starts_on", "name", "pk")
    )
