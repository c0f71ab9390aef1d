"""Queue a task without letting a broken broker break the caller.

A web request that has committed its work must answer even when Redis is refused or
hung. So requests never *depend* on a queued message: the durable record (an outbox
row, a frozen terms version) is already in Postgres, and a periodic sweeper picks up
whatever was not queued. `nudge` only shortens the wait: it publishes once, without
the publisher's retries, bounded by the broker's socket timeouts, and logs a failure
instead of raising it.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def nudge(task, *args, **kwargs) -> bool:
    """Publish `task(*args, **kwargs)` once; False (logged) if the broker is unavailable."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # any broker failure: kombu, redis and socket errors alike
        log.warning(
            "queue: could not publish %s; the sweeper will pick it up", task.name, exc_info=True
        )
        return False
    return True


def nudge_on_commit(task, *args, **kwargs) -> None:
    """`nudge` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: nudge(task, *args, **kwargs))
