"""Source connections: where the collectors pull numbers from, and how that went.

A connection is one provider account the brand set up (an API key, a token) and what
it covers: an influencer's channel (YouTube, Instagram) or a website or analytics
property (GA4, Plausible, Matomo), optionally narrowed to one campaign. The credential
is stored encrypted (common.crypto) and only its last four characters are kept in
clear, for the masked display. Due-ness lives here too (`next_run_at`), so beat firing
twice or a lost queue message never loses or doubles work.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from common.validators import validate_single_line
from influencers.models import Channel


class Provider(models.TextChoices):
    YOUTUBE = "youtube", _("YouTube Data API")
    INSTAGRAM = "instagram", _("Instagram (Business Discovery)")
    GA4 = "ga4", _("Google Analytics 4")
    PLAUSIBLE = "plausible", _("Plausible")
    MATOMO = "matomo", _("Matomo")
    # Granted by the creator on the portal (collectors.creators), never set up by a marketer.
    INSTAGRAM_CREATOR = "instagram_creator", _("Instagram (the creator's own login)")
    TIKTOK_CREATOR = "tiktok_creator", _("TikTok (the creator's own login)")
    YOUTUBE_CREATOR = "youtube_creator", _("YouTube Analytics (the creator's own login)")


# Connections a creator grants from the portal with their own login (OAuth).
CREATOR_PROVIDERS = (Provider.INSTAGRAM_CREATOR, Provider.TIKTOK_CREATOR, Provider.YOUTUBE_CREATOR)
# Providers that report on a social channel, and those that report site traffic.
CHANNEL_PROVIDERS = (Provider.YOUTUBE, Provider.INSTAGRAM, *CREATOR_PROVIDERS)
SITE_PROVIDERS = (Provider.GA4, Provider.PLAUSIBLE, Provider.MATOMO)
# Self-hostable providers need (Matomo) or may take (Plausible) a base URL.
BASE_URL_REQUIRED = (Provider.MATOMO,)


class State(models.TextChoices):
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing")
    NEEDS_REAUTH = "needs_reauth", _("Needs new credentials")
    PAUSED = "paused", _("Paused")
    QUOTA_EXHAUSTED = "quota_exhausted", _("Quota used up")


class Connection(models.Model):
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    name = models.CharField(
        _("name"), max_length=100, validators=[validate_single_line], help_text=_("For you.")
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connections",
        verbose_name=_("channel"),
    )
    site_id = models.CharField(
        _("site or property"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("GA4 property id, Plausible site domain or Matomo site id."),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connections",
        verbose_name=_("only for campaign"),
    )
    account_id = models.CharField(
        _("your account id"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Instagram: your own professional account's id (Business Discovery)."),
    )
    base_url = models.URLField(_("base URL"), max_length=300, blank=True)
    credential_encrypted = models.TextField(editable=False)
    credential_hint = models.CharField(max_length=4, blank=True, editable=False)
    # Creator connections (OAuth): the refresh token (encrypted like the credential, empty
    # where the provider has none: Instagram refreshes the access token itself), when the
    # access token and the refresh token lapse, and the scopes the creator granted.
    refresh_encrypted = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("token expires"), null=True, editable=False)
    refresh_expires_at = models.DateTimeField(
        _("renewal possible until"), null=True, editable=False
    )
    scopes = models.CharField(_("granted scopes"), max_length=300, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_connections",
        verbose_name=_("owner"),
        help_text=_("Told by email and on My day when the connection needs attention."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OK, editable=False
    )
    state_until = models.DateTimeField(_("until"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, editable=False)
    last_pulled_at = models.DateTimeField(_("numbers pulled up to"), null=True, editable=False)
    next_run_at = models.DateTimeField(_("next run"), default=timezone.now, editable=False)
    # Set when the dispatcher (or "Pull now") queued a pull; a message lost with Redis is
    # queued again once this is older than the dispatch lease.
    dispatched_at = models.DateTimeField(null=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, editable=False)
    records_written = models.PositiveBigIntegerField(
        _("numbers collected"), default=0, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__in=Provider.values), name="connection_known_provider"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="connection_known_state"
            ),
            # A channel provider covers a channel; a site provider a site or property.
            models.CheckConstraint(
                condition=(
                    Q(provider__in=CHANNEL_PROVIDERS, channel__isnull=False, site_id="")
                    | (Q(provider__in=SITE_PROVIDERS, channel=None) & ~Q(site_id=""))
                ),
                name="connection_covers_what_provider_reports",
            ),
            models.CheckConstraint(
                condition=Q(campaign=None) | Q(provider__in=SITE_PROVIDERS),
                name="connection_campaign_only_for_sites",
            ),
            models.CheckConstraint(
                condition=~Q(provider=Provider.INSTAGRAM) | ~Q(account_id=""),
                name="connection_instagram_has_account",
            ),
            models.CheckConstraint(
                condition=~Q(provider__in=BASE_URL_REQUIRED) | ~Q(base_url=""),
                name="connection_base_url_where_needed",
            ),
            models.CheckConstraint(
                condition=~Q(credential_encrypted=""), name="connection_has_credential"
            ),
            # Only a creator's login comes with a refresh token and an expiry.
            models.CheckConstraint(
                condition=Q(provider__in=CREATOR_PROVIDERS)
                | Q(refresh_encrypted="", token_expires_at=None, refresh_expires_at=None),
                name="connection_tokens_only_for_creators",
            ),
            # A creator grants one connection per channel and provider (connecting
            # again replaces its tokens).
            models.UniqueConstraint(
                fields=["channel", "provider"],
                condition=Q(provider__in=CREATOR_PROVIDERS),
                name="connection_one_creator_grant_per_channel",
            ),
            # "Quota used up until T" needs its T; no other state has one.
            models.CheckConstraint(
                condition=(
                    Q(state=State.QUOTA_EXHAUSTED, state_until__isnull=False)
                    | (~Q(state=State.QUOTA_EXHAUSTED) & Q(state_until=None))
                ),
                name="connection_until_only_when_quota",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_run_at"], name="connection_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.name}"

    def __repr__(self) -> str:
        # Never the credential, not even encrypted.
        return f"<Connection {self.pk} {self.provider} {self.state}>"

    @property
    def credential_masked(self) -> str:
        from common.crypto import masked

        return masked(self.credential_hint)

    @property
    def lapses_at(self):
        """A creator grant: when it stops working unless the creator connects again (the
        refresh token's end where there is one, else the access token's)."""
        return self.refresh_expires_at if self.refresh_encrypted else self.token_expires_at

    @property
    def is_creator_grant(self) -> bool:
        return self.provider in CREATOR_PROVIDERS

    @property
    def is_channel_source(self) -> bool:
        return self.provider in CHANNEL_PROVIDERS

    def clean(self) -> None:
        errors = {}
        if self.provider in CHANNEL_PROVIDERS:
            if self.channel_id is None:
                errors["channel"] = _("Choose the channel this connection reports on.")
            if self.site_id:
                errors["site_id"] = _("A channel connection has no site.")
            if self.campaign_id is not None:
                errors["campaign"] = _("Only a site connection is narrowed to a campaign.")
        elif self.provider in SITE_PROVIDERS:
            if not self.site_id:
                errors["site_id"] = _("Give the site or property this connection reports on.")
            if self.channel_id is not None:
                errors["channel"] = _("A site connection has no channel.")
        if self.provider == Provider.INSTAGRAM and not self.account_id:
            errors["account_id"] = _("Give your own Instagram professional account's id.")
        if self.provider in BASE_URL_REQUIRED and not self.base_url:
            errors["base_url"] = _("Give the address of your Matomo.")
        if errors:
            raise ValidationError(errors)


class PullAttempt(models.Model):
    """One pull of a connection: what came of it (the Data sources page's history)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Pulled")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    records = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["connection", "-started_at"], name="pull_attempt_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"

    def __repr__(self) -> str:
        return f"<PullAttempt {self.pk} {self.outcome}>"
