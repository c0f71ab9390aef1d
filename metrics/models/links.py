"""Tracked links (`/r/<code>`) and the clicks on them.

The full target (destination plus UTM parameters) is built once, by the service, and
stored: the redirect reads one indexed row and never looks at anything in the request
to decide where to send it.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line
from influencers.models import Channel
from partnerships.models import Partnership

MAX_URL = 1000
CODE_PATTERN = r"[A-Za-z0-9_-]{8,32}"
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")

http_url_validator = URLValidator(schemes=["http", "https"])
utm_validator = RegexValidator(
    r"^[A-Za-z0-9_.~-]*\Z", _("Use letters, digits, dots, dashes and underscores only.")
)


def with_utms(destination: str, utms: dict[str, str]) -> str:
    """The destination with the UTM parameters set (replacing any of the same name)."""
    parts = urlsplit(destination)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in utms]
    query += [(k, v) for k, v in utms.items() if v]
    return urlunsplit(parts._replace(query=urlencode(query)))


class TrackedLink(models.Model):
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="tracked_links",
        verbose_name=_("partnership"),
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
        verbose_name=_("channel"),
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[RegexValidator(f"^{CODE_PATTERN}\\Z")]
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, validators=[validate_single_line]
    )
    destination = models.URLField(
        _("destination"), max_length=MAX_URL, validators=[http_url_validator]
    )
    utm_source = models.CharField(
        _("UTM source"),
        max_length=100,
        blank=True,
        validators=[validate_single_line, utm_validator],
    )
    utm_medium = models.CharField(
        _("UTM medium"),
        max_length=100,
        blank=True,
        validators=[validate_single_line, utm_validator],
    )
    utm_campaign = models.CharField(
        _("UTM campaign"),
        max_length=100,
        blank=True,
        validators=[validate_single_line, utm_validator],
    )
    utm_content = models.CharField(
        _("UTM content"),
        max_length=100,
        blank=True,
        validators=[validate_single_line, utm_validator],
    )
    # destination + UTMs, built by the service; what /r/<code> answers with.
    target_url = models.URLField(_("target"), max_length=2 * MAX_URL, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(destination__startswith="http://")
                | Q(destination__startswith="https://"),
                name="tracked_link_destination_http",
            ),
            models.CheckConstraint(
                condition=Q(target_url__startswith="http://")
                | Q(target_url__startswith="https://"),
                name="tracked_link_target_http",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, disabled_at=None)
                | Q(is_active=False, disabled_at__isnull=False),
                name="tracked_link_disabled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.code

    def clean(self) -> None:
        if (
            self.channel_id
            and self.partnership_id
            and self.channel.influencer_id != self.partnership.influencer_id
        ):
            raise ValidationError({"channel": _("Choose one of this influencer's channels.")})

    @property
    def utms(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in UTM_FIELDS}

    def build_target(self) -> str:
        return with_utms(self.destination, self.utms)

    def get_short_path(self) -> str:
        return reverse("tracked_link_redirect", args=[self.code])


class Click(models.Model):
    """One request to /r/<code>, written in the request before the 302 is sent.

    Insert-only and narrow; never the raw IP: `visitor` is a keyed hash of the address
    and user agent that changes every day, enough to count unique visitors per day."""

    class Kind(models.TextChoices):
        HUMAN = "human", _("Person")
        BOT = "bot", _("Bot or link preview")
        HEAD = "head", _("HEAD request")

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    visitor = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")

    def __str__(self) -> str:
        return f"{self.link_id} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"
