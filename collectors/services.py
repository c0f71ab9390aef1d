"""Writes of the collectors app: connections set up by marketers, and what pulls report."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts import outbox
from common import crypto
from common.queue import nudge_on_commit
from common.services import model_update

from .models import Connection, PullAttempt, State

EDITABLE = ("name", "channel", "site_id", "campaign", "account_id", "base_url", "owner")


@sensitive_variables("credential")
def _set_credential(connection: Connection, credential: str) -> None:
    connection.credential_encrypted = crypto.encrypt(credential)
    connection.credential_hint = crypto.hint_of(credential)


@sensitive_variables("credential")
@transaction.atomic
def connection_create(*, by, provider: str, credential: str, **fields) -> Connection:
    connection = Connection(provider=provider, created_by=by, owner=fields.pop("owner", by))
    _set_credential(connection, credential.strip())
    model_update(connection, fields=fields, allowed=EDITABLE)
    return connection


@sensitive_variables("credential")
@transaction.atomic
def connection_update(
    *, connection: Connection, credential: str | None = None, **fields
) -> Connection:
    """Change what a connection covers; a new credential (blank keeps the old one) also
    lifts "needs new credentials" and makes the connection due at once."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if credential and credential.strip():
        _set_credential(connection, credential.strip())
        if connection.state in (State.NEEDS_REAUTH, State.FAILING):
            connection.state, connection.state_until, connection.failures = State.OK, None, 0
        connection.next_run_at = timezone.now()
    return model_update(connection, fields=fields, allowed=EDITABLE)


@transaction.atomic
def connection_pause(*, connection: Connection) -> Connection:
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    connection.state, connection.state_until = State.PAUSED, None
    connection.save(update_fields=["state", "state_until"])
    return connection


@transaction.atomic
def connection_resume(*, connection: Connection) -> Connection:
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if connection.state == State.PAUSED:
        connection.state, connection.failures = State.OK, 0
        connection.next_run_at = timezone.now()
        connection.save(update_fields=["state", "failures", "next_run_at"])
    return connection


@transaction.atomic
def connection_pull_now(*, connection: Connection) -> bool:
    """Make the connection due now and nudge a worker (beat's dispatcher is the backstop).
    False when its state forbids pulling (paused, needs new credentials, quota)."""
    from .tasks import pull

    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if connection.state not in (State.OK, State.FAILING):
        return False
    now = timezone.now()
    Connection.objects.filter(pk=connection.pk).update(next_run_at=now, dispatched_at=now)
    nudge_on_commit(pull, connection.pk, provider=connection.provider)
    return True


def _pull_covering(connections) -> int:
    """Pull now every pullable connection of `connections`; how many were queued."""
    queued = 0
    for connection in connections.filter(state__in=(State.OK, State.FAILING)).order_by("pk"):
        queued += connection_pull_now(connection=connection)
    return queued


def connections_pull_for_partnership(*, partnership) -> int:
    """ "Pull now" on a partnership: every source of its posts' channels (and the
    influencer's channels in its terms), and the site sources covering its campaign
    (its utm_content traffic)."""
    from django.db.models import Q

    channels = Q(channel__posts__partnership=partnership) | Q(
        channel__deliverables__version__partnership=partnership
    )
    sites = Q(site_id__gt="") & (Q(campaign=None) | Q(campaign_id=partnership.campaign_id))
    return _pull_covering(Connection.objects.filter(channels | sites).distinct())


def connections_pull_for_campaign(*, campaign) -> int:
    """ "Pull now" on a campaign: the site sources covering it (its utm_campaign
    traffic) and the sources of the channels posting in its partnerships."""
    from django.db.models import Q

    channels = Q(channel__posts__partnership__campaign=campaign)
    sites = Q(site_id__gt="") & (Q(campaign=None) | Q(campaign=campaign))
    return _pull_covering(Connection.objects.filter(channels | sites).distinct())


def credentials_rotate() -> int:
    """Re-encrypt every credential under the first FIELD_ENCRYPTION_KEY key."""
    count = 0
    for pk in Connection.objects.values_list("pk", flat=True):
        with transaction.atomic():
            connection = Connection.objects.select_for_update().get(pk=pk)
            connection.credential_encrypted = crypto.rotate(connection.credential_encrypted)
            if connection.refresh_encrypted:  # a creator's refresh token
                connection.refresh_encrypted = crypto.rotate(connection.refresh_encrypted)
            connection.save(update_fields=["credential_encrypted", "refresh_encrypted"])
            count += 1
    return count


# --- What a pull reports (called by collectors.pulling, under the connection's lock) ---


@transaction.atomic
def pull_succeeded(
    *,
    connection_id: int,
    records: int,
    pulled_up_to: datetime.datetime,
    next_run_at: datetime.datetime,
    problem: str = "",
) -> None:
    now = timezone.now()
    Connection.objects.filter(pk=connection_id).update(
        state=State.OK,
        state_until=None,
        failures=0,
        last_success_at=now,
        last_pulled_at=pulled_up_to,
        next_run_at=next_run_at,
        dispatched_at=None,
        records_written=F("records_written") + records,
        **({"last_error": problem, "last_error_at": now} if problem else {}),
    )
    PullAttempt.objects.create(
        connection_id=connection_id,
        outcome=PullAttempt.Outcome.OK,
        records=records,
        error=problem[:500],
    )


@transaction.atomic
def pull_failed(
    *,
    connection_id: int,
    error: str,
    state: str,
    next_run_at: datetime.datetime,
    until: datetime.datetime | None = None,
    count_failure: bool = True,
    dispatched_at: datetime.datetime | None = None,
) -> Connection:
    connection = Connection.objects.select_for_update().get(pk=connection_id)
    became_reauth = state == State.NEEDS_REAUTH and connection.state != State.NEEDS_REAUTH
    connection.state, connection.state_until = state, until
    connection.failures = connection.failures + 1 if count_failure else connection.failures
    connection.last_error, connection.last_error_at = error[:500], timezone.now()
    connection.next_run_at, connection.dispatched_at = next_run_at, dispatched_at
    connection.save()
    PullAttempt.objects.create(
        connection=connection, outcome=PullAttempt.Outcome.FAILED, error=error[:500]
    )
    if became_reauth and connection.is_creator_grant:
        from .creators.services import tell_lapsed

        tell_lapsed(connection)
    elif became_reauth:
        _tell_owner_reauth(connection)
    return connection


def _tell_owner_reauth(connection: Connection) -> None:
    from django.conf import settings
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse("collectors:list")
    outbox.enqueue(
        key=f"collectors:reauth:{connection.pk}:{connection.last_error_at:%Y%m%d%H%M%S}",
        subject=_("Data source needs new credentials: %(name)s") % {"name": connection.name},
        body=_(
            '%(provider)s refused the credentials of the data source "%(name)s": '
            "%(error)s\n\nNo numbers are pulled from it until you give it new ones:\n%(link)s\n"
        )
        % {
            "provider": connection.get_provider_display(),
            "name": connection.name,
            "error": connection.last_error,
            "link": link,
        },
        recipients=[connection.owner.email],
    )
