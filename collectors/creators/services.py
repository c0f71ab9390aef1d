"""Writes of creator connections: connect (after the OAuth callback), revoke, keep the
tokens fresh, and tell people before and when a token lapses.

Every token is stored encrypted (`common.crypto`) on the `Connection`; nothing of it
is ever in a message, a page or a log line. A refresh runs under the same Postgres
advisory lock as a pull, so two workers never spend the same (rotating) refresh token.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import outbox
from common import crypto
from common.queue import nudge_on_commit
from influencers.models import Channel

from ..errors import ProviderError, Unauthorized
from ..models import CREATOR_PROVIDERS, Connection, State
from . import oauth

log = logging.getLogger(__name__)

# How long before the access token lapses it is renewed (Instagram: a 60-day token,
# renewable once a day old; TikTok: a 2-hour token; Google: 1 hour).
REFRESH_AHEAD = {
    oauth.INSTAGRAM.provider: datetime.timedelta(days=10),
    oauth.TIKTOK.provider: datetime.timedelta(minutes=30),
    oauth.YOUTUBE.provider: datetime.timedelta(minutes=15),
}


class AccountMismatch(oauth.OAuthFailed):
    pass


def _handle(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def account_matches(channel: Channel, account: oauth.Account) -> bool:
    """The account is the channel's: same platform id where the profile has one, else the
    same handle (case and a leading @ ignored; a YouTube channel may be kept by its id)."""
    if channel.account_id:
        return account.account_id == channel.account_id
    handle = _handle(channel.handle)
    return bool(handle) and handle in {_handle(account.handle), _handle(account.account_id)}


def _store_tokens(connection: Connection, tokens: oauth.Tokens) -> None:
    access = tokens.access.reveal()
    connection.credential_encrypted = crypto.encrypt(access)
    connection.credential_hint = crypto.hint_of(access)
    if tokens.refresh is not None:
        connection.refresh_encrypted = crypto.encrypt(tokens.refresh.reveal())
    connection.token_expires_at = tokens.expires_at
    if tokens.refresh_expires_at is not None or tokens.refresh is None:
        connection.refresh_expires_at = tokens.refresh_expires_at
    if tokens.scopes:
        connection.scopes = tokens.scopes[:300]


@transaction.atomic
def creator_connect(
    *, user, channel: Channel, app: oauth.App, tokens: oauth.Tokens, account: oauth.Account
) -> Connection:
    """Store the creator's tokens on a connection for their channel (a new one, or the
    one they had: connecting again replaces its tokens and makes it work again). An
    account that is not the channel's is refused and nothing is stored."""
    if channel.influencer.user_id != user.pk or channel.platform != app.platform:
        raise oauth.OAuthFailed(_("This channel is not yours to connect."))
    if not account_matches(channel, account):
        raise AccountMismatch(
            _(
                "You signed in as %(account)s, but your profile lists %(channel)s. Sign in "
                "with that account, or ask the brand to correct the handle on your profile."
            )
            % {"account": account.handle or account.account_id, "channel": channel.handle}
        )
    connection = (
        Connection.objects.select_for_update()
        .filter(channel=channel, provider=app.provider)
        .first()
    ) or Connection(
        provider=app.provider, channel=channel, created_by=user, owner=user,
        name=f"{app.label} {channel.display_handle}"[:100],
    )  # fmt: skip
    _store_tokens(connection, tokens)
    connection.account_id = account.account_id[:100]
    connection.state, connection.state_until, connection.failures = State.OK, None, 0
    connection.last_error = ""
    connection.next_run_at = timezone.now()
    connection.full_clean(exclude=["credential_encrypted"])
    connection.save()
    from ..tasks import pull  # tasks import pulling, which imports these services

    nudge_on_commit(pull, connection.pk, provider=connection.provider)
    return connection


def creator_revoke(*, connection: Connection) -> None:
    """Delete the tokens at once (the connection goes with them; the numbers already
    pulled stay), then tell the provider, best effort."""
    app = oauth.BY_PROVIDER[connection.provider]
    try:
        access = crypto.decrypt(connection.credential_encrypted)
    except crypto.CredentialUnreadable:
        access = None
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk, provider__in=CREATOR_PROVIDERS).delete()
    if access is not None:
        oauth.revoke(app, access=access)


# --- Token care (the hourly task, and a pull finding its token about to lapse) ---------


def needs_refresh(connection: Connection, now: datetime.datetime) -> bool:
    if connection.token_expires_at is None:
        return False
    return connection.token_expires_at - now <= REFRESH_AHEAD[connection.provider]


def refresh_tokens(connection: Connection) -> None:
    """Renew the connection's tokens (the caller holds its advisory lock). Unauthorized
    when the provider refuses: the caller marks it as needing re-authorisation."""
    app = oauth.BY_PROVIDER[connection.provider]
    access = crypto.decrypt(connection.credential_encrypted)
    refresh = crypto.decrypt(connection.refresh_encrypted) if connection.refresh_encrypted else None
    tokens = oauth.refresh(app, access=access, refresh_token=refresh)
    with transaction.atomic():
        fresh = Connection.objects.select_for_update().get(pk=connection.pk)
        _store_tokens(fresh, tokens)
        fresh.save(
            update_fields=[
                "credential_encrypted", "credential_hint", "refresh_encrypted",
                "token_expires_at", "refresh_expires_at", "scopes",
            ]
        )  # fmt: skip
    connection.refresh_from_db()


def refresh_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Renew every creator token close to lapsing; one that cannot be renewed marks its
    connection as needing re-authorisation (and tells the creator and the brand)."""
    from ..pulling import advisory_lock, mark_failed

    now = now or timezone.now()
    counts = {"refreshed": 0, "failed": 0}
    candidates = Connection.objects.filter(
        provider__in=CREATOR_PROVIDERS,
        state__in=[State.OK, State.FAILING, State.QUOTA_EXHAUSTED],
        token_expires_at__isnull=False,
    ).values_list("pk", flat=True)
    for pk in candidates:
        with advisory_lock(pk) as got:
            if not got:
                continue  # a pull holds it, and refreshes the token itself if it must
            connection = Connection.objects.filter(pk=pk).first()
            if connection is None or not needs_refresh(connection, now):
                continue
            try:
                refresh_tokens(connection)
            except Unauthorized as exc:
                mark_failed(connection, exc)
                counts["failed"] += 1
            except ProviderError as exc:  # busy or down: try again next hour
                log.info("creators: connection %s: refresh postponed: %s", pk, exc)
            else:
                counts["refreshed"] += 1
    counts["reminders"] = send_lapse_reminders(now)
    return counts


# --- Telling people --------------------------------------------------------------------


def lapses_at(connection: Connection) -> datetime.datetime | None:
    return connection.lapses_at


def _people(connection: Connection) -> tuple[list[str], list[str]]:
    """(the creator's address, the partnership owners' and the influencer owner's)."""
    from partnerships.models import Partnership

    influencer = connection.channel.influencer
    creator = [influencer.user.email] if influencer.user_id else []
    owners = set(
        Partnership.objects.filter(influencer=influencer, owner__isnull=False)
        .exclude(status__in=["declined", "cancelled"])
        .values_list("owner__email", flat=True)
    )
    if influencer.owner_id:
        owners.add(influencer.owner.email)
    return creator, sorted(owners)


LAPSE_SUBJECT = gettext_lazy("Your %(platform)s connection lapses on %(date)s")
LAPSED_SUBJECT = gettext_lazy("Your %(platform)s connection has lapsed")


def _emails(connection: Connection, *, key: str, lapsed: bool, when) -> None:
    app = oauth.BY_PROVIDER[connection.provider]
    creator, owners = _people(connection)
    site = settings.SITE_URL.rstrip("/")
    date = f"{timezone.localtime(when):%d %b %Y}" if when else ""
    values = {"platform": app.label, "date": date, "name": connection.channel.influencer.name}
    if lapsed:
        subject = LAPSED_SUBJECT % values
        creator_body = (
            _(
                "The brand no longer receives the numbers of your %(platform)s account. "
                "Connect it again on your portal (it takes a minute):\n"
            )
            % values
        )
        owner_body = (
            _(
                "%(name)s's %(platform)s connection has lapsed: no first-party numbers come in "
                "until they connect again on their portal.\n"
            )
            % values
        )
    else:
        subject = LAPSE_SUBJECT % values
        creator_body = (
            _(
                "Your %(platform)s connection lapses on %(date)s. Connect it again on your "
                "portal before then so the brand keeps receiving your numbers:\n"
            )
            % values
        )
        owner_body = (
            _(
                "%(name)s's %(platform)s connection lapses on %(date)s unless they connect "
                "again on their portal.\n"
            )
            % values
        )
    outbox.enqueue(
        key=f"{key}:creator", subject=subject,
        body=creator_body + site + reverse("portal:accounts"), recipients=creator,
    )  # fmt: skip
    outbox.enqueue(
        key=f"{key}:owners", subject=subject,
        body=owner_body + site + reverse("collectors:list"), recipients=owners,
    )  # fmt: skip


def tell_lapsed(connection: Connection) -> None:
    """Once per lapse (the key holds when it was noticed)."""
    when = connection.last_error_at or timezone.now()
    _emails(connection, key=f"creators:lapsed:{connection.pk}:{when:%Y%m%d%H%M%S}",
            lapsed=True, when=None)  # fmt: skip


def send_lapse_reminders(now: datetime.datetime | None = None) -> int:
    """Tell the creator and the brand N days before a token lapses, once per threshold
    (CREATORS_REMINDER_DAYS): the outbox key holds the connection, the threshold and the
    lapse date, so a retry, a second worker or the next hour adds nothing."""
    now = now or timezone.now()
    sent = 0
    horizon = now + datetime.timedelta(days=max(settings.CREATORS_REMINDER_DAYS))
    connections = Connection.objects.filter(
        provider__in=CREATOR_PROVIDERS, state__in=[State.OK, State.FAILING]
    ).select_related("channel__influencer__user", "channel__influencer__owner")
    for connection in connections:
        when = lapses_at(connection)
        if when is None or when > horizon:
            continue
        if when <= now:
            continue  # lapsed: the refresh or the pull marks it and tells them
        left = when - now
        threshold = min(
            d for d in settings.CREATORS_REMINDER_DAYS if left <= datetime.timedelta(days=d)
        )
        key = f"creators:lapse:{connection.pk}:{threshold}d:{when:%Y%m%d%H%M}"
        _emails(connection, key=key, lapsed=False, when=when)
        sent += 1
    return sent
