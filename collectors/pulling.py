"""One pull of one connection: lock, ask the provider, write each answer, record how it went.

Two workers never pull the same connection at once: a Postgres advisory lock (session
level, so it is held across the HTTP calls without holding a transaction open, and is
released if the worker dies and its database connection closes). The due-ness check
under the lock makes a second message for the same run (beat firing twice, "Pull now"
and the dispatcher together) a no-op. Every answer is written by one `records_upsert`
call, so the same answer twice is the same numbers once.
"""

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection as db
from django.utils import timezone

from common import crypto
from influencers.services import channel_followers_measured, channel_picture_save
from metrics.audience.services import audience_record
from metrics.posts.services import post_capture
from metrics.services import Row, records_upsert

from . import ratelimit, schedule, services
from .errors import (
    Malformed,
    ProviderError,
    QuotaExceeded,
    RateLimited,
    Transient,
    Unauthorized,
)
from .http import client as http_client
from .models import Connection, Provider, State
from .providers import (
    AudienceDetails,
    ChannelDetails,
    PostDetails,
    TrafficTargets,
    ga4,
    instagram,
    instagram_creator,
    matomo,
    plausible,
    tiktok_creator,
    youtube,
    youtube_creator,
)

log = logging.getLogger(__name__)

LOCK_NAMESPACE = 7_341_001  # first key of the two-int advisory lock: "collectors.pull"
RATE_WAIT = 30.0  # seconds a pull waits for a token of its provider's bucket
FAST_RETRY = 300  # a retry this soon is also queued with a countdown; later ones wait for beat


TRAFFIC_ADAPTERS = {Provider.PLAUSIBLE: plausible, Provider.MATOMO: matomo, Provider.GA4: ga4}
# The creators' own logins: followers, then each due post's numbers and caption.
CREATOR_ADAPTERS = {
    Provider.INSTAGRAM_CREATOR: instagram_creator.account,
    Provider.TIKTOK_CREATOR: tiktok_creator.account,
    Provider.YOUTUBE_CREATOR: youtube_creator.account,
}


class Outcome:
    PULLED = "pulled"
    BUSY = "busy"
    NOT_DUE = "not_due"
    SKIPPED = "skipped"
    FAILED = "failed"


@contextmanager
def advisory_lock(pk: int) -> Iterator[bool]:
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, pk])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, pk])


def pullable(connection: Connection, now: datetime.datetime) -> bool:
    if connection.state in (State.OK, State.FAILING):
        return True
    return connection.state == State.QUOTA_EXHAUSTED and connection.state_until <= now


def pull(connection_id: int) -> str:
    with advisory_lock(connection_id) as got:
        if not got:
            return Outcome.BUSY
        connection = Connection.objects.select_related("channel").filter(pk=connection_id).first()
        now = timezone.now()
        if connection is None or not pullable(connection, now):
            return Outcome.SKIPPED
        if connection.next_run_at > now:
            return Outcome.NOT_DUE
        return _pull_locked(connection, now)


def _pull_locked(connection: Connection, now: datetime.datetime) -> str:
    try:
        if connection.is_creator_grant:
            from .creators import services as creator_services

            if creator_services.needs_refresh(connection, now):
                creator_services.refresh_tokens(connection)
        secret = crypto.decrypt(connection.credential_encrypted)
        with http_client() as client:
            client.event_hooks["request"] = [_rate_limit_hook(connection.provider)]
            records, problems = _run_parts(connection, secret, client)
    except ProviderError as exc:
        _failed(connection, exc, now)
        return Outcome.FAILED
    except crypto.CredentialUnreadable:
        _failed(
            connection, Unauthorized("The stored credential cannot be read; enter it again."), now
        )
        return Outcome.FAILED
    except Exception:  # a bug, not the provider: logged, retried with backoff, never lost
        log.exception("collectors: connection %s: unexpected error while pulling", connection.pk)
        _failed(connection, Transient("An unexpected error happened while pulling."), now)
        return Outcome.FAILED
    services.pull_succeeded(
        connection_id=connection.pk,
        records=records,
        pulled_up_to=now,
        next_run_at=schedule.next_regular_run(connection, now),
        problem=" ".join(problems),
    )
    return Outcome.PULLED


def _rate_limit_hook(provider: str) -> Callable[[httpx.Request], None]:
    def wait_for_token(request: httpx.Request) -> None:
        if not ratelimit.acquire(provider, max_wait=RATE_WAIT):
            raise RateLimited(
                "Our own limit for this provider is used up for now.", retry_after=RATE_WAIT
            )

    return wait_for_token


def _run_parts(
    connection: Connection, secret: crypto.Secret, client: httpx.Client
) -> tuple[int, list[str]]:
    """Write each answer of each part; a malformed answer is logged and skipped."""
    records, problems = 0, []
    for part in _parts(connection, secret, client):
        try:
            for rows in part():
                records += _write(rows)
        except Malformed as exc:
            log.warning("collectors: connection %s: malformed answer: %s", connection.pk, exc)
            problems.append(str(exc))
        except ValidationError:  # a number the store refuses (e.g. past 10^12)
            log.warning("collectors: connection %s: a number out of bounds", connection.pk)
            problems.append("The provider sent a number out of bounds; that answer was skipped.")
    return records, problems


def _write(answer: list) -> int:
    """Write an answer's numbers (one `records_upsert`), then what it told about the posts
    and the channel (caption, thumbnail, picture, followers on the profile)."""
    rows = [item for item in answer if isinstance(item, Row)]
    written = records_upsert(rows) if rows else 0
    for item in answer:
        if isinstance(item, (PostDetails, ChannelDetails, AudienceDetails)):
            _capture(item)
    return written


def _capture(details: "PostDetails | ChannelDetails | AudienceDetails") -> None:
    """Keep what an answer told besides its numbers (post and channel details, the
    audience). Best effort: a picture that cannot be copied never fails the pull."""
    try:
        if isinstance(details, AudienceDetails):
            audience_record(
                channel_id=details.channel, dimension=details.dimension,
                as_of=timezone.localdate(), source=details.source, buckets=details.buckets,
            )  # fmt: skip
            return
        if isinstance(details, PostDetails):
            post_capture(
                post_id=details.post, caption=details.caption, permalink=details.permalink,
                published_at=details.published_at, thumbnail_url=details.thumbnail_url,
                paid_label=details.paid_label,
            )  # fmt: skip
            return
        if details.followers is not None:
            channel_followers_measured(
                channel_id=details.channel, followers=details.followers, on=timezone.localdate()
            )
        if details.picture_url:
            channel_picture_save(channel_id=details.channel, picture_url=details.picture_url)
    except Exception:
        log.warning("collectors: could not keep what an answer told about a post or channel",
                    exc_info=True)  # fmt: skip


def _parts(connection: Connection, secret: crypto.Secret, client: httpx.Client) -> list[Callable]:
    provider = connection.provider
    if provider == Provider.YOUTUBE:
        channel = connection.channel

        def followers():
            if schedule.followers_fresh(connection, timezone.now()):
                return  # followers are pulled daily; this run is for posts
            yield youtube.channel_followers(
                client, base_url=connection.base_url, key=secret, channel_pk=channel.pk,
                account_id=channel.account_id, handle=channel.handle,
            )  # fmt: skip

        def posts():
            due = schedule.due_posts(connection, timezone.now())
            if due:
                yield from youtube.video_numbers(
                    client, base_url=connection.base_url, key=secret, posts=due
                )

        return [followers, posts]
    if provider == Provider.INSTAGRAM:
        channel = connection.channel

        def discovery():
            yield from instagram.account(
                client, base_url=connection.base_url, token=secret,
                ig_user_id=connection.account_id, username=channel.handle, channel_pk=channel.pk,
                posts=schedule.due_posts(connection, timezone.now()),
            )  # fmt: skip

        return [discovery]
    if provider in CREATOR_ADAPTERS:
        adapter = CREATOR_ADAPTERS[provider]
        # Instagram's calls name the account; TikTok's and Google's say "mine".
        whose = (
            {"ig_user_id": connection.account_id} if provider == Provider.INSTAGRAM_CREATOR else {}
        )

        def insights():
            now = timezone.now()
            yield from adapter(
                client, base_url=connection.base_url, token=secret,
                channel_pk=connection.channel_id, posts=schedule.due_posts(connection, now),
                followers=not schedule.followers_fresh(connection, now), **whose,
            )  # fmt: skip

        return [insights]
    if provider in TRAFFIC_ADAPTERS:
        adapter = TRAFFIC_ADAPTERS[provider]

        def traffic():
            window = schedule.traffic_window(connection)
            targets = TrafficTargets.load(schedule.covered_campaigns(connection, window))
            yield from adapter.traffic(
                client, base_url=connection.base_url, key=secret, site_id=connection.site_id,
                window=window, targets=targets,
            )  # fmt: skip

        return [traffic]
    raise ProviderError("This provider is not supported yet.")


def mark_failed(connection: Connection, exc: ProviderError) -> None:
    """Record a failure found outside a pull (a token refresh), with the same rules."""
    _failed(connection, exc, timezone.now())


def _failed(connection: Connection, exc: ProviderError, now: datetime.datetime) -> None:
    """Record the failure and decide when to try again (see the README's state table)."""
    from .tasks import pull as pull_task

    now = timezone.now()  # delays count from the provider's answer, not the pull's start
    failures = connection.failures + 1
    working = State.FAILING if connection.state == State.FAILING else State.OK
    until, count = None, True
    if isinstance(exc, Unauthorized):  # retrying cannot help: wait for new credentials
        state, next_run = State.NEEDS_REAUTH, connection.next_run_at
    elif isinstance(exc, QuotaExceeded):  # nothing works until the quota resets
        state, until, next_run, count = State.QUOTA_EXHAUSTED, exc.until, exc.until, False
    elif isinstance(exc, RateLimited):  # the provider said when; else back off
        delay = exc.retry_after if exc.retry_after is not None else schedule.backoff(failures)
        state, next_run, count = working, now + datetime.timedelta(seconds=delay), False
    elif isinstance(exc, Transient) and failures < settings.COLLECTORS_MAX_FAILURES:
        state, next_run = working, now + datetime.timedelta(seconds=schedule.backoff(failures))
    else:  # out of retries, or refused for good (unknown channel, bad query)
        state, next_run = State.FAILING, schedule.next_regular_run(connection, now)
    soon = state in (State.OK, State.FAILING) and (next_run - now).total_seconds() <= FAST_RETRY
    log.info("collectors: connection %s failed (%s): %s", connection.pk, type(exc).__name__, exc)
    services.pull_failed(
        connection_id=connection.pk, error=str(exc), state=state, next_run_at=next_run,
        until=until, count_failure=count, dispatched_at=next_run if soon else None,
    )  # fmt: skip
    if soon:
        countdown = max(0.0, (next_run - timezone.now()).total_seconds())
        nudge_later(pull_task, connection.pk, connection.provider, countdown)


def nudge_later(task, pk: int, provider: str, countdown: float) -> None:
    """Best effort: if Redis is down, the dispatcher finds the row due anyway."""
    try:
        task.apply_async(args=[pk], kwargs={"provider": provider}, countdown=countdown, retry=False)
    except Exception:  # any broker failure
        log.warning("collectors: could not queue the retry of connection %s", pk, exc_info=True)
