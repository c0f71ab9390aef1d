"""Thin tasks: the dispatcher beat runs, and the pull of one connection."""

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from common.queue import nudge

from . import pulling
from .models import Connection, State

DISPATCH_LEASE = datetime.timedelta(minutes=10)


def due_connections(now: datetime.datetime):
    """Due and allowed to run, and not queued in the last lease (a message lost with
    Redis is queued again once the lease is over)."""
    return (
        Connection.objects.filter(next_run_at__lte=now)
        .filter(
            Q(state__in=[State.OK, State.FAILING])
            | Q(state=State.QUOTA_EXHAUSTED, state_until__lte=now)
        )
        .filter(Q(dispatched_at=None) | Q(dispatched_at__lte=now - DISPATCH_LEASE))
    )


@shared_task(name="collectors.dispatch")
def dispatch() -> int:
    """Queue one pull per due connection, on its provider's queue. Claimed with a
    conditional UPDATE, so beat firing twice queues each pull once."""
    now = timezone.now()
    queued = 0
    for pk, provider in due_connections(now).values_list("pk", "provider"):
        if due_connections(now).filter(pk=pk).update(dispatched_at=now) == 1:
            queued += nudge(pull, pk, provider=provider)
    return queued


@shared_task(name="collectors.pull")
def pull(connection_id: int, provider: str = "") -> str:
    """`provider` only routes the message to its queue (collectors.routing)."""
    return pulling.pull(connection_id)


def enqueue_pull(connection_id: int, provider: str) -> bool:
    return nudge(pull, connection_id, provider=provider)


@shared_task(name="collectors.creator_tokens")
def creator_tokens() -> dict:
    """Hourly: renew creators' tokens close to lapsing, and send the lapse reminders."""
    from .creators.services import refresh_due

    return refresh_due()
