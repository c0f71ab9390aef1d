"""Scoped reads of the collectors app: every marketer sees every data source."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Connection, PullAttempt, State

RECENT_ERRORS = 3


def connection_list(user) -> QuerySet[Connection]:
    if not user.is_marketer:
        return Connection.objects.none()
    failed = PullAttempt.objects.filter(outcome=PullAttempt.Outcome.FAILED).order_by("-started_at")
    return Connection.objects.select_related(
        "channel__influencer", "campaign", "owner"
    ).prefetch_related(Prefetch("attempts", queryset=failed, to_attr="recent_failures"))


def connection_for_user(user, pk: int, *, write: bool = False) -> Connection:
    connection = get_object_or_404(connection_list(user), pk=pk)
    if write and not user.can_edit:
        raise PermissionDenied
    return connection


def connections_needing_attention(user) -> QuerySet[Connection]:
    """Data sources this user owns that wait on them (new credentials) or keep failing."""
    return Connection.objects.filter(
        owner=user, state__in=[State.NEEDS_REAUTH, State.FAILING]
    ).order_by("name")
