"""The authorization-code flow around the portal's two requests: `start` (the creator
clicked *Connect*) and `finish` (the provider sent them back to the redirect URI).

`state` is a random value kept in the creator's session with what it was for (the app,
the channel, the PKCE verifier, when): bound to that session, it is popped on the way
back, so it works once, and only within STATE_TTL. Every way the flow can fail ends in
`OAuthFailed` with words for the creator, and nothing stored.
"""

import time

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from influencers.models import Channel

from ..models import Connection
from . import oauth, services

SESSION_KEY = "creator_oauth"
STATE_TTL = 600  # seconds the creator has to sign in at the provider
MAX_PENDING = 5


def redirect_uri(app: oauth.App) -> str:
    """Exactly as registered with the provider: SITE_URL, never the request's host."""
    return settings.SITE_URL.rstrip("/") + reverse("portal:account_callback", args=[app.slug])


def start(session, channel: Channel) -> str:
    """The provider's authorize URL for this channel; its state kept in the session."""
    app = oauth.BY_PLATFORM[channel.platform]
    if not app.configured:
        raise oauth.OAuthFailed(
            _("Connecting %(platform)s is not set up by the brand yet.") % {"platform": app.label}
        )
    state, verifier = oauth.new_state(), oauth.new_verifier() if app.pkce else None
    pending = dict(session.get(SESSION_KEY) or {})
    now = time.time()
    pending = {k: v for k, v in pending.items() if now - v["at"] < STATE_TTL}
    for old in sorted(pending, key=lambda k: pending[k]["at"])[
        : max(0, len(pending) - MAX_PENDING + 1)
    ]:
        pending.pop(old)
    pending[state] = {"app": app.slug, "channel": channel.pk, "verifier": verifier, "at": now}
    session[SESSION_KEY] = pending
    return oauth.authorize_url(app, redirect_uri=redirect_uri(app), state=state, verifier=verifier)


def _pop(session, state: str) -> dict | None:
    pending = dict(session.get(SESSION_KEY) or {})
    entry = pending.pop(state, None) if state else None
    session[SESSION_KEY] = pending
    return entry


def finish(session, user, slug: str, params) -> Connection:
    app = oauth.APPS.get(slug) if slug in {a.slug for a in oauth.OFFERED} else None
    entry = _pop(session, params.get("state", ""))
    if app is None or entry is None or entry["app"] != slug:
        raise oauth.OAuthFailed(
            _("This sign-in link is not valid any more (it was used already, or started in "
              "another browser). Please start again.")
        )  # fmt: skip
    if time.time() - entry["at"] >= STATE_TTL:
        raise oauth.OAuthFailed(_("The sign-in took too long. Please start again."))
    if params.get("error"):
        if params.get("error") == "access_denied":
            raise oauth.OAuthFailed(
                _("You did not allow access, so nothing was connected. The brand keeps "
                  "using your public numbers only.")
            )  # fmt: skip
        raise oauth.OAuthFailed(_("The platform did not connect your account. Please start again."))
    code = params.get("code", "")
    if not code:
        raise oauth.OAuthFailed(_("The platform sent no sign-in code. Please start again."))
    from .selectors import portal_channel

    channel = portal_channel(user, entry["channel"])
    tokens = oauth.exchange_code(
        app, code=code, redirect_uri=redirect_uri(app), verifier=entry.get("verifier")
    )
    account = oauth.account_of(app, tokens)
    try:
        return services.creator_connect(
            user=user, channel=channel, app=app, tokens=tokens, account=account
        )
    except services.AccountMismatch:
        oauth.revoke(app, access=tokens.access)  # not kept, and not left granted either
        raise
