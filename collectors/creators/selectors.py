"""Reads of creator connections: the creator's own (the portal), and what the brand
sees (state and dates, never a token)."""

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from influencers.models import Channel

from ..models import CREATOR_PROVIDERS, Connection, State
from .oauth import BY_PLATFORM


def portal_channels(user) -> QuerySet[Channel]:
    """The creator's channels on a platform they can connect, each with its creator
    connection (`grants`, zero or one)."""
    if not (user.is_authenticated and user.is_influencer):
        return Channel.objects.none()
    grants = Connection.objects.filter(provider__in=CREATOR_PROVIDERS).only(
        "pk", "provider", "channel_id", "state", "token_expires_at", "refresh_expires_at",
        "refresh_encrypted", "last_success_at", "created_at", "name",
    )  # fmt: skip
    return (
        Channel.objects.filter(influencer__user=user, platform__in=list(BY_PLATFORM))
        .prefetch_related(Prefetch("connections", queryset=grants, to_attr="grants"))
        .order_by("platform", "handle")
    )


def portal_channel(user, pk: int) -> Channel:
    return get_object_or_404(portal_channels(user), pk=pk)


def portal_connection(user, pk: int) -> Connection:
    """One of the creator's own connections; anyone else's answers 404."""
    if not (user.is_authenticated and user.is_influencer):
        return get_object_or_404(Connection.objects.none(), pk=pk)
    return get_object_or_404(
        Connection.objects.filter(provider__in=CREATOR_PROVIDERS, channel__influencer__user=user),
        pk=pk,
    )


def _lapsing(now: datetime.datetime) -> Q:
    soon = now + datetime.timedelta(days=max(settings.CREATORS_REMINDER_DAYS))
    return Q(refresh_encrypted="", token_expires_at__lte=soon) | (
        ~Q(refresh_encrypted="") & Q(refresh_expires_at__lte=soon)
    )


def portal_attention(user, now: datetime.datetime | None = None) -> list[Connection]:
    """The creator's connections that lapsed or lapse within the reminder window (one
    query): the portal banner."""
    if not (user.is_authenticated and user.is_influencer):
        return []
    now = now or timezone.now()
    return list(
        Connection.objects.filter(provider__in=CREATOR_PROVIDERS, channel__influencer__user=user)
        .filter(Q(state=State.NEEDS_REAUTH) | _lapsing(now))
        .only(
            "pk",
            "name",
            "provider",
            "state",
            "token_expires_at",
            "refresh_expires_at",
            "refresh_encrypted",
        )  # fmt: skip
        .order_by("provider")
    )


def marketer_attention(user, now: datetime.datetime | None = None) -> QuerySet[Connection]:
    """Creator connections of the influencers this marketer owns or has partnerships
    with that lapsed or lapse soon ("My day")."""
    now = now or timezone.now()
    mine = Q(channel__influencer__owner=user) | Q(channel__influencer__partnerships__owner=user)
    return (
        Connection.objects.filter(provider__in=CREATOR_PROVIDERS)
        .filter(mine)
        .filter(
            Q(state=State.NEEDS_REAUTH) | (Q(state__in=[State.OK, State.FAILING]) & _lapsing(now))
        )
        .select_related("channel__influencer")
        .distinct()
        .order_by("token_expires_at", "pk")
    )
