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


def health(now=None, *, overdue_after: int) -> dict:
    """For /healthz: working sources left unpulled for `overdue_after` seconds past their
    run mean the dispatcher or the workers are not doing their job (not ok). Sources the
    provider refuses (failing, needing new credentials) are counted but are the owner's
    to fix, not the app's health."""
    import datetime

    from django.db.models import Count, Q
    from django.utils import timezone

    now = now or timezone.now()
    late = now - datetime.timedelta(seconds=overdue_after)
    counts = Connection.objects.aggregate(
        overdue=Count("pk", filter=Q(state=State.OK, next_run_at__lt=late)),
        failing=Count("pk", filter=Q(state=State.FAILING)),
        needs_reauth=Count("pk", filter=Q(state=State.NEEDS_REAUTH)),
    )
    check = {"ok": counts["overdue"] == 0, **counts}
    if not check["ok"]:
        check["error"] = (
            f"{counts['overdue']} data source(s) overdue by more than {overdue_after} s"
        )
    return check
