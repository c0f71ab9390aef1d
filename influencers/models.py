import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LimitedTextField, PositiveIntegerField
from common.validators import (
    MAX_FOLLOWERS,
    check_date,
    today,
    up_to,
    validate_single_line,
    validate_text,
)

from .handles import Platform as P
from .managers import InfluencerQuerySet


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    RESEARCHED = "researched", _("Researched")
    PITCHED = "pitched", _("Pitched")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACTIVE = "active", _("Active")
    ALUMNI = "alumni", _("Alumni")
    DECLINED = "declined", _("Declined")


# Reaching any of these means we have approached the influencer: research first.
STAGES_NEEDING_RESEARCH = {Stage.PITCHED, Stage.NEGOTIATING, Stage.ACTIVE, Stage.ALUMNI}


class Platform(models.TextChoices):
    INSTAGRAM = P.INSTAGRAM, "Instagram"
    TIKTOK = P.TIKTOK, "TikTok"
    YOUTUBE = P.YOUTUBE, "YouTube"
    X = P.X, "X"
    FACEBOOK = P.FACEBOOK, "Facebook"
    BLOG = P.BLOG, _("Blog")
    PODCAST = P.PODCAST, _("Podcast")
    NEWSLETTER = P.NEWSLETTER, _("Newsletter")
    OTHER = P.OTHER, _("Other")


class Tier(models.TextChoices):
    NANO = "nano", _("Nano (< 10k)")
    MICRO = "micro", _("Micro (10k–100k)")
    MID = "mid", _("Mid (100k–500k)")
    MACRO = "macro", _("Macro (500k+)")


def tier_for(followers: int | None) -> str | None:
    if followers is None:
        return None
    if followers < 10_000:
        return Tier.NANO
    if followers < 100_000:
        return Tier.MICRO
    if followers < 500_000:
        return Tier.MID
    return Tier.MACRO


EMAIL_RULE = "influencer_email_ci_unique"  # one influencer per email, in any case


class Influencer(models.Model):
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[validate_single_line]
    )
    country = models.CharField(
        _("country"), max_length=60, blank=True, validators=[validate_single_line]
    )
    city = models.CharField(_("city"), max_length=80, blank=True, validators=[validate_single_line])
    languages = ArrayField(
        models.CharField(max_length=40, validators=[validate_single_line]),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    niches = ArrayField(
        models.CharField(max_length=40, validators=[validate_single_line]),
        verbose_name=_("niches"),
        default=list,
        blank=True,
    )
    bio = LimitedTextField(_("short bio"), max_length=1000, blank=True, validators=[validate_text])
    internal_notes = LimitedTextField(
        _("internal notes"),
        max_length=10000,
        blank=True,
        validators=[validate_text],
        help_text=_("Only your team sees these; never shown on the portal."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_influencers",
    )
    stage = models.CharField(
        _("pipeline stage"), max_length=20, choices=Stage.choices, default=Stage.PROSPECT
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="influencer_profile",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InfluencerQuerySet.as_manager()

    class Meta:
        verbose_name = _("influencer")
        verbose_name_plural = _("influencers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name=EMAIL_RULE),
        ]
        indexes = [
            models.Index(fields=["stage", "name"], name="influencer_stage_name"),
            models.Index(fields=["name", "id"], name="influencer_name"),
            # Search (`icontains`, which Postgres runs as UPPER(col) LIKE UPPER('%text%')).
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="influencer_name_trgm"),
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="influencer_email_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("influencers:detail", args=[self.pk])

    def validate_constraints(self, exclude=None) -> None:
        """The email rule is an expression (lower(email)), so Django reports it as a
        general "constraint violated" error; it is about the email field, so say so
        there (a form's own check can pass a moment before another save commits)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            rule = next(c for c in self._meta.constraints if c.name == EMAIL_RULE)
            taken = rule.get_violation_error_message()
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            if any(taken in error.messages for error in general):
                general = [error for error in general if taken not in error.messages]
                errors.setdefault("email", []).append(
                    ValidationError(
                        _("Another influencer already uses this email."), code="email_taken"
                    )
                )
            if general:
                errors[NON_FIELD_ERRORS] = general
            raise ValidationError(errors) from exc


class Channel(models.Model):
    class FollowerSource(models.TextChoices):
        MANUAL = "manual", _("typed in")
        COLLECTOR = "collector", _("measured")

    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="channels", verbose_name=_("influencer")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=300, validators=[validate_single_line])
    profile_url = models.URLField(_("profile URL"), max_length=500)
    account_id = models.CharField(
        _("platform account id"), max_length=100, blank=True, validators=[validate_single_line]
    )
    followers = PositiveIntegerField(
        _("followers"), null=True, blank=True, validators=up_to(MAX_FOLLOWERS)
    )
    followers_as_of = models.DateField(_("followers counted on"), null=True, blank=True)
    followers_source = models.CharField(
        _("follower count source"),
        max_length=20,
        choices=FollowerSource.choices,
        default=FollowerSource.MANUAL,
    )
    is_primary = models.BooleanField(_("primary channel"), default=False)
    # Copied by the collectors from the platform (its CDN links expire).
    picture = models.FileField(
        _("profile picture"), upload_to="channels/%Y/%m/", blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["-is_primary", "platform", "handle"]
        constraints = [
            # The same account can only belong to one influencer.
            models.UniqueConstraint(fields=["platform", "handle"], name="channel_unique_handle"),
            models.UniqueConstraint(
                fields=["influencer"], condition=Q(is_primary=True), name="channel_one_primary"
            ),
            models.CheckConstraint(
                condition=Q(followers__isnull=True) | Q(followers_as_of__isnull=False),
                name="channel_followers_dated",
            ),
            models.CheckConstraint(
                condition=Q(followers__lte=MAX_FOLLOWERS), name="channel_followers_bounded"
            ),
        ]
        indexes = [
            models.Index(fields=["influencer", "-followers"], name="channel_reach"),
            GinIndex(OpClass(Upper("handle"), name="gin_trgm_ops"), name="channel_handle_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.display_handle}"

    def clean(self) -> None:
        errors: dict = {}
        # Counted today at the latest (a day's slack for time zones).
        check_date(
            errors, "followers_as_of", self.followers_as_of, latest=today() + timedelta(days=1)
        )
        if errors:
            raise ValidationError(errors)

    @property
    def display_handle(self) -> str:
        if self.platform in (P.INSTAGRAM, P.TIKTOK, P.X) or (
            self.platform == P.YOUTUBE and not self.handle.startswith("UC")
        ):
            return f"@{self.handle}"
        return self.handle

    @property
    def tier(self) -> str | None:
        return tier_for(self.followers)


class StageChange(models.Model):
    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.influencer}: {self.from_stage or '∅'} → {self.to_stage}"


class ResearchItem(models.TextChoices):
    AUDIENCE_FIT = "audience_fit", _("Audience fit")
    ENGAGEMENT_QUALITY = "engagement_quality", _("Engagement quality")
    PAST_BRAND_WORK = "past_brand_work", _("Past brand work")
    STYLE_AND_VALUES = "style_and_values", _("Content style and values fit")
    RED_FLAGS = "red_flags", _("Red flags checked")


RESEARCH_HELP = {
    ResearchItem.AUDIENCE_FIT: _("Who follows them: location, age, interests. Is it our market?"),
    ResearchItem.ENGAGEMENT_QUALITY: _("Real comments and saves, not bought followers or pods."),
    ResearchItem.PAST_BRAND_WORK: _("Which brands have they worked with, and how did it go?"),
    ResearchItem.STYLE_AND_VALUES: _("Does their voice and what they stand for suit the brand?"),
    ResearchItem.RED_FLAGS: _("Controversies, competitor deals, fake engagement. Note any."),
}


class ResearchCheck(models.Model):
    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="research_checks"
    )
    item = models.CharField(_("item"), max_length=30, choices=ResearchItem.choices)
    done = models.BooleanField(_("done"), default=False)
    note = LimitedTextField(_("note"), max_length=2000, blank=True, validators=[validate_text])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("research check")
        verbose_name_plural = _("research checks")
        constraints = [
            models.UniqueConstraint(fields=["influencer", "item"], name="research_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.influencer}: {self.get_item_display()}"


# How long an uploaded CSV waits for its preview to be confirmed.
PENDING_IMPORT_TTL = timedelta(hours=1)


class PendingImport(models.Model):
    """An uploaded CSV between upload and confirm, kept server-side rather than in the
    session (which is rewritten on every request). The random token in the preview's
    URL finds it; only its uploader may use it."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200, validators=[validate_single_line])
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="pending_import_has_text"),
        ]

    def __str__(self) -> str:
        return self.filename

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.created_at < (now or timezone.now()) - PENDING_IMPORT_TTL
