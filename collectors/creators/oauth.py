"""The three providers' authorization-code flows: where to send the creator, how to turn
the code into tokens, how to refresh and revoke them, and whose account they open.

Each `App` holds one provider's documented endpoints and the smallest scopes that give
the numbers. `CREATORS_FAKE_URL` swaps every host for the fake server
(`collectors/fake/creators.py`), path for path, so the demo and the tests run offline.

Errors come back as `OAuthFailed` with a plain-words message for the creator, built
from the provider's error code only (never the request, so no secret in it).
"""

import base64
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.crypto import Secret

from .. import http
from ..errors import RateLimited, Transient, Unauthorized
from ..models import Provider


class OAuthFailed(Exception):
    """The connection could not be made; `str()` is what the creator reads."""


@dataclass(frozen=True)
class Tokens:
    access: Secret
    expires_at: datetime.datetime | None
    refresh: Secret | None = None
    refresh_expires_at: datetime.datetime | None = None
    scopes: str = ""
    account_id: str = ""  # what the token response says about whose it is, if anything


@dataclass(frozen=True)
class Account:
    """Whose account a token opens: its id on the platform and its handle."""

    account_id: str
    handle: str


@dataclass(frozen=True)
class App:
    slug: str  # in the redirect URI: /portal/accounts/callback/<slug>/
    provider: str
    platform: str  # influencers.Platform of the channel it attaches to
    label: str
    authorize_url: str
    exchange_url: str
    scopes: tuple[str, ...]
    scope_separator: str
    pkce: bool
    client_id_setting: str
    client_secret_setting: str
    client_id_param: str = "client_id"

    @property
    def client_id(self) -> str:
        # Against the fake (CREATORS_FAKE_URL) an unregistered app is fine: the demo.
        return getattr(settings, self.client_id_setting) or self._fake_value("app")

    def client_secret(self) -> Secret:
        return Secret(getattr(settings, self.client_secret_setting) or self._fake_value("secret"))

    def _fake_value(self, what: str) -> str:
        return f"fake-{self.slug}-{what}" if settings.CREATORS_FAKE_URL else ""

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret().reveal())


def fake_or(url: str) -> str:
    """The URL, or the same path on the fake server when CREATORS_FAKE_URL is set."""
    fake = settings.CREATORS_FAKE_URL.rstrip("/")
    if not fake:
        return url
    host_and_path = url.split("://", 1)[1]
    host, _slash, path = host_and_path.partition("/")
    return f"{fake}/creator/{host}/{path}"


INSTAGRAM = App(
    slug="instagram",
    provider=Provider.INSTAGRAM_CREATOR,
    platform="instagram",
    label="Instagram",
    authorize_url="https://www.instagram.com/oauth/authorize",
    exchange_url="https://api.instagram.com/oauth/access_token",
    # Followers and media (basic), reach/views/saves/shares and audience (insights).
    scopes=("instagram_business_basic", "instagram_business_manage_insights"),
    scope_separator=",",
    pkce=False,  # Instagram Login takes no PKCE parameters
    client_id_setting="CREATORS_INSTAGRAM_CLIENT_ID",
    client_secret_setting="CREATORS_INSTAGRAM_CLIENT_SECRET",  # noqa: S106 - a setting name
)
TIKTOK = App(
    slug="tiktok",
    provider=Provider.TIKTOK_CREATOR,
    platform="tiktok",
    label="TikTok",
    authorize_url="https://www.tiktok.com/v2/auth/authorize/",
    exchange_url="https://open.tiktokapis.com/v2/oauth/token/",
    # basic: open_id; profile: the username, to match the channel; stats: followers.
    scopes=("user.info.basic", "user.info.profile", "user.info.stats", "video.list"),
    scope_separator=",",
    pkce=True,
    client_id_setting="CREATORS_TIKTOK_CLIENT_KEY",
    client_secret_setting="CREATORS_TIKTOK_CLIENT_SECRET",  # noqa: S106 - a setting name
    client_id_param="client_key",
)
YOUTUBE = App(
    slug="youtube",
    provider=Provider.YOUTUBE_CREATOR,
    platform="youtube",
    label="YouTube",
    authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
    exchange_url="https://oauth2.googleapis.com/token",
    scopes=(
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/yt-analytics.readonly",
    ),
    scope_separator=" ",
    pkce=True,
    client_id_setting="CREATORS_GOOGLE_CLIENT_ID",
    client_secret_setting="CREATORS_GOOGLE_CLIENT_SECRET",  # noqa: S106 - a setting name
)
APPS = {app.slug: app for app in (INSTAGRAM, TIKTOK, YOUTUBE)}
BY_PROVIDER = {app.provider: app for app in APPS.values()}
# What the portal offers to connect.
OFFERED = (INSTAGRAM, TIKTOK, YOUTUBE)
BY_PLATFORM = {app.platform: app for app in OFFERED}

INSTAGRAM_GRAPH = "https://graph.instagram.com"
INSTAGRAM_VERSION = "v26.0"
TIKTOK_API = "https://open.tiktokapis.com"
GOOGLE_REVOKE = "https://oauth2.googleapis.com/revoke"
YOUTUBE_DATA = "https://www.googleapis.com/youtube/v3"


# --- PKCE and state ----------------------------------------------------------------


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_verifier() -> str:
    return secrets.token_urlsafe(64)[:96]  # 43–128 characters of [A-Za-z0-9-._~]


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def origin_of(app: App) -> str:
    """Scheme and host of the app's sign-in page (for the connect page's CSP)."""
    scheme, rest = fake_or(app.authorize_url).split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def authorize_url(app: App, *, redirect_uri: str, state: str, verifier: str | None) -> str:
    params = {
        app.client_id_param: app.client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": app.scope_separator.join(app.scopes),
        "state": state,
    }
    if app is YOUTUBE:  # a refresh token, asked for again on every consent
        params.update(access_type="offline", prompt="consent", include_granted_scopes="false")
    if app.pkce:
        params.update(code_challenge=challenge_of(verifier or ""), code_challenge_method="S256")
    return f"{fake_or(app.authorize_url)}?{urlencode(params)}"


# --- Token endpoints -----------------------------------------------------------------


def _at(seconds) -> datetime.datetime | None:
    try:
        return timezone.now() + datetime.timedelta(seconds=int(seconds))
    except (TypeError, ValueError):
        return None


def _token_error(response: httpx.Response, body) -> OAuthFailed | None:
    """The provider's refusal in plain words, from its error code only."""
    error = ""
    if isinstance(body, dict):
        raw = body.get("error") or body.get("error_type") or ""
        error = raw.get("code", "") if isinstance(raw, dict) else str(raw)
    if response.status_code == 200 and not error:
        return None
    if response.status_code == 429 or error == "rate_limit_exceeded":
        return OAuthFailed(_("The platform is busy right now. Please try again in a minute."))
    if response.status_code >= 500:
        return OAuthFailed(_("The platform had a problem. Please try again in a minute."))
    if error in ("invalid_grant", "OAuthException", "invalid_request"):
        return OAuthFailed(
            _("The platform did not accept the sign-in (it may have expired). Please start again.")
        )
    return OAuthFailed(_("The platform refused the connection. Please start again."))


def _post_token(app: App, data: dict) -> dict:
    with http.client() as client:
        try:
            response = http.send(client, "POST", fake_or(app.exchange_url), data=data)
        except Transient:
            raise OAuthFailed(_("The platform did not answer. Please try again.")) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    failure = _token_error(response, body)
    if failure is not None:
        raise failure
    if not isinstance(body, dict):
        raise OAuthFailed(_("The platform answered something unexpected. Please start again."))
    if isinstance(body.get("data"), list) and body["data"]:  # Instagram's documented wrapper
        body = body["data"][0]
    if not isinstance(body, dict) or not body.get("access_token"):
        raise OAuthFailed(_("The platform answered something unexpected. Please start again."))
    return body


def _tokens(body: dict) -> Tokens:
    refresh = body.get("refresh_token")
    scopes = body.get("scope") or body.get("permissions") or ""
    if isinstance(scopes, list):
        scopes = ",".join(scopes)
    return Tokens(
        access=Secret(str(body["access_token"])),
        expires_at=_at(body.get("expires_in")),
        refresh=Secret(str(refresh)) if refresh else None,
        refresh_expires_at=_at(body.get("refresh_expires_in")),
        scopes=str(scopes)[:300],
        account_id=str(body.get("user_id") or body.get("open_id") or ""),
    )


def exchange_code(app: App, *, code: str, redirect_uri: str, verifier: str | None) -> Tokens:
    """The code for tokens (Instagram: then the short-lived token for a 60-day one)."""
    if app.pkce and not verifier:
        raise OAuthFailed(_("This sign-in is incomplete (no PKCE verifier). Please start again."))
    data = {
        app.client_id_param: app.client_id,
        "client_secret": app.client_secret().reveal(),
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
        "code": code,
    }
    if app.pkce:
        data["code_verifier"] = verifier
    tokens = _tokens(_post_token(app, data))
    if app is INSTAGRAM:
        tokens = _instagram_long_lived(tokens)
    missing = [s for s in app.scopes if tokens.scopes and s not in _split_scopes(tokens.scopes)]
    if missing:
        raise OAuthFailed(
            _("Some permissions were not granted (%(scopes)s). Please allow them all.")
            % {"scopes": ", ".join(missing)}
        )
    return tokens


def _split_scopes(scopes: str) -> set[str]:
    return {s for s in scopes.replace(",", " ").split() if s}


def _graph_get(path: str, params: dict) -> tuple[httpx.Response, object]:
    # Instagram's token endpoints take the token and secret as query parameters only
    # (GET, documented so); httpx logs no URL below WARNING (see LOGGING).
    url = fake_or(f"{INSTAGRAM_GRAPH}/{path}")
    with http.client() as client:
        response = http.send(client, "GET", url, params=params)
    try:
        return response, response.json()
    except ValueError:
        return response, None


def _instagram_long_lived(short: Tokens) -> Tokens:
    try:
        response, body = _graph_get(
            "access_token",
            {
                "grant_type": "ig_exchange_token",
                "client_secret": INSTAGRAM.client_secret().reveal(),
                "access_token": short.access.reveal(),
            },
        )
    except Transient:
        raise OAuthFailed(_("The platform did not answer. Please try again.")) from None
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        raise OAuthFailed(_("The platform refused the connection. Please start again."))
    long = _tokens(body)
    return Tokens(
        access=long.access, expires_at=long.expires_at, scopes=short.scopes,
        account_id=short.account_id,
    )  # fmt: skip


def refresh(app: App, *, access: Secret, refresh_token: Secret | None) -> Tokens:
    """New tokens before the old ones lapse. Unauthorized when the provider will not
    (revoked, expired, a used TikTok refresh token): the creator must connect again."""
    if app is INSTAGRAM:
        response, body = _graph_get(
            "refresh_access_token",
            {"grant_type": "ig_refresh_token", "access_token": access.reveal()},
        )
        if response.status_code == 429:
            raise RateLimited("Instagram's usage limit was reached.", retry_after=None)
        if response.status_code >= 500:
            raise Transient("Instagram had a server error while refreshing the token.")
        if (
            response.status_code != 200
            or not isinstance(body, dict)
            or not body.get("access_token")
        ):
            raise Unauthorized("Instagram would not renew the token; the creator must reconnect.")
        return _tokens(body)
    if refresh_token is None:
        raise Unauthorized("There is no refresh token; the creator must reconnect.")
    data = {
        app.client_id_param: app.client_id,
        "client_secret": app.client_secret().reveal(),
        "grant_type": "refresh_token",
        "refresh_token": refresh_token.reveal(),
    }
    with http.client() as client:
        response = http.send(client, "POST", fake_or(app.exchange_url), data=data)
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 429:
        raise RateLimited(f"{app.label} is busy; the token is renewed later.", retry_after=None)
    if response.status_code >= 500:
        raise Transient(f"{app.label} had a server error while renewing the token.")
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        raise Unauthorized(f"{app.label} would not renew the token; the creator must reconnect.")
    tokens = _tokens(body)
    if tokens.refresh is None:  # Google keeps the refresh token; TikTok rotates it
        tokens = Tokens(
            access=tokens.access, expires_at=tokens.expires_at, refresh=refresh_token,
            refresh_expires_at=None, scopes=tokens.scopes,
        )  # fmt: skip
    return tokens


def revoke(app: App, *, access: Secret) -> None:
    """Tell the provider, best effort (Instagram has no revoke endpoint: the creator
    removes the app in Instagram's settings; our tokens are deleted either way)."""
    try:
        with http.client() as client:
            if app is TIKTOK:
                http.send(client, "POST", fake_or(f"{TIKTOK_API}/v2/oauth/revoke/"), data={
                    "client_key": app.client_id, "client_secret": app.client_secret().reveal(),
                    "token": access.reveal(),
                })  # fmt: skip
            elif app is YOUTUBE:
                http.send(client, "POST", fake_or(GOOGLE_REVOKE), data={"token": access.reveal()})
    except Transient:
        pass


# --- Whose account is it ----------------------------------------------------------------


def account_of(app: App, tokens: Tokens) -> Account:
    headers = {"Authorization": f"Bearer {tokens.access.reveal()}"}
    with http.client() as client:
        try:
            if app is INSTAGRAM:
                response = http.send(
                    client, "GET", fake_or(f"{INSTAGRAM_GRAPH}/{INSTAGRAM_VERSION}/me"),
                    params={"fields": "user_id,username"}, headers=headers,
                )  # fmt: skip
                body = _json(response)
                return Account(str(body.get("user_id") or body.get("id") or ""),
                               str(body.get("username") or ""))  # fmt: skip
            if app is TIKTOK:
                response = http.send(
                    client, "GET", fake_or(f"{TIKTOK_API}/v2/user/info/"),
                    params={"fields": "open_id,username,display_name"}, headers=headers,
                )  # fmt: skip
                user = (_json(response).get("data") or {}).get("user") or {}
                return Account(str(user.get("open_id") or ""), str(user.get("username") or ""))
            response = http.send(
                client, "GET", fake_or(f"{YOUTUBE_DATA}/channels"),
                params={"part": "id,snippet", "mine": "true"}, headers=headers,
            )  # fmt: skip
            items = _json(response).get("items") or [{}]
            snippet = items[0].get("snippet") or {}
            return Account(
                str(items[0].get("id") or ""), str(snippet.get("customUrl") or "").lstrip("@")
            )
        except Transient:
            raise OAuthFailed(_("The platform did not answer. Please try again.")) from None


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        raise OAuthFailed(
            _("The platform would not tell whose account this is. Please start again.")
        )
    return body
