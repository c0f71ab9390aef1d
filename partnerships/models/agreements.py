"""One influencer in one campaign, and the versioned terms agreed with them.

A terms version is editable only while it is a draft. Once proposed it is frozen:
a database trigger (migration 0002) refuses any UPDATE or DELETE of a proposed
version or of its deliverables, compensation lines and KPI targets, so no code
path (service, admin, shell, bulk update) can alter what an influencer was shown
or accepted. Changes after a proposal make a new version.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import (
    Campaign,
    TermsFields,
    currency_validator,
    default_currency,
    terms_bounds,
)
from common.fields import (
    DecimalField,
    LimitedTextField,
    MoneyField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
)
from common.validators import (
    MAX_PIECES,
    MAX_QUANTITY,
    MAX_TARGET,
    MONEY_NOT_NEGATIVE,
    PERCENT,
    check_date,
    today,
    up_to,
    validate_single_line,
    validate_text,
    years_from,
)
from influencers.models import Channel, Influencer, Platform

from ..managers import CLOSED_WITHOUT_DEAL, DeliverableQuerySet, PartnershipQuerySet

NOT_NEGATIVE = MONEY_NOT_NEGATIVE


class Partnership(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("campaign")
    )
    influencer = models.ForeignKey(
        Influencer,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("influencer"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_partnerships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("renewed from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    history = HistoricalRecords()
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live partnership per pair; one that ended without a deal may be
            # followed by a new one (reopened, or created again).
            models.UniqueConstraint(
                fields=["campaign", "influencer"],
                condition=~Q(status__in=CLOSED_WITHOUT_DEAL),
                name="partnership_one_open_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.influencer} × {self.campaign.name}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])


class Format(models.TextChoices):
    # Reel, Story and Short are the platforms' own names, which Malaysian marketers use as they
    # are ("buat satu Reel"); the catalogue keeps them and the every-page test allows them.
    POST = "post", _("Post")
    # Translators: the platform's name for the format; Malay marketing keeps it in English.
    REEL = "reel", _("Reel")
    # Translators: the platform's name for the format; Malay marketing keeps it in English.
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    # Translators: the platform's name for the format; Malay marketing keeps it in English.
    SHORT = "short", _("Short")
    BLOG_POST = "blog_post", _("Blog post")
    PODCAST_MENTION = "podcast_mention", _("Podcast mention")
    NEWSLETTER = "newsletter", _("Newsletter")


# What each platform publishes (no Reel on TikTok); a platform not listed takes any format.
FORMATS_BY_PLATFORM = {
    Platform.INSTAGRAM: (Format.POST, Format.REEL, Format.STORY, Format.VIDEO),
    Platform.FACEBOOK: (Format.POST, Format.REEL, Format.STORY, Format.VIDEO),
    Platform.TIKTOK: (Format.VIDEO, Format.STORY, Format.POST),
    Platform.YOUTUBE: (Format.VIDEO, Format.SHORT, Format.POST),
    Platform.X: (Format.POST, Format.VIDEO),
    Platform.BLOG: (Format.BLOG_POST,),
    Platform.PODCAST: (Format.PODCAST_MENTION,),
    Platform.NEWSLETTER: (Format.NEWSLETTER,),
}


def formats_for(platform: str) -> tuple[str, ...]:
    return tuple(FORMATS_BY_PLATFORM.get(platform, Format.values))


class TermsVersion(TermsFields):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # The terms fields (must-haves … cancellation terms) come from campaigns.TermsFields.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The canonical content as proposed, frozen with the version: renaming the
    # campaign, the influencer or a channel later cannot change what was agreed.
    content = models.JSONField(_("content as proposed"), default=dict, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="terms_number_once"),
            # At most one version being drafted per partnership.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(proposed_at__isnull=True),
                name="terms_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(proposed_at__isnull=True) | ~Q(sha256=""),
                name="terms_proposed_has_hash",
            ),
            *terms_bounds("terms"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.proposed_at is None


class TermsChild(models.Model):
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["version", "position", "pk"]


class Deliverable(TermsChild):
    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="deliverables")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="deliverables", verbose_name=_("channel")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    quantity = PositiveSmallIntegerField(
        _("quantity"), default=1, validators=up_to(MAX_PIECES, minimum=1)
    )
    due_on = models.DateField(_("due on"))
    requirements = LimitedTextField(
        _("requirements"), max_length=2000, blank=True, validators=[validate_text]
    )

    objects = DeliverableQuerySet.as_manager()

    class Meta(TermsChild.Meta):
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="deliv_qty"),
            models.CheckConstraint(condition=Q(quantity__lte=MAX_PIECES), name="deliv_qty_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_format_display()} on {self.channel}"

    def clean(self) -> None:
        errors: dict = {}
        # Due within five years; a past date is fine (terms copied from older ones).
        check_date(errors, "due_on", self.due_on, latest=years_from(today(), 5))
        if errors:
            raise ValidationError(errors)
        if (
            self.channel_id
            and self.format
            and self.format not in formats_for(self.channel.platform)
        ):
            raise ValidationError(
                {
                    "format": _("%(platform)s has no %(format)s; choose another format.")
                    % {
                        "platform": self.channel.get_platform_display(),
                        "format": self.get_format_display(),
                    }
                },
                code="format_platform",
            )


class CompensationLine(TermsChild):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash fee")
        PRODUCT = "product", _("Product")
        COMMISSION = "commission", _("Affiliate commission")
        PERK = "perk", _("Perk")

    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="compensation")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(
        _("description"), max_length=300, blank=True, validators=[validate_single_line]
    )
    amount = MoneyField(_("amount"), null=True, blank=True, validators=NOT_NEGATIVE)
    currency = models.CharField(
        _("currency"), max_length=3, default=default_currency, validators=[currency_validator]
    )
    quantity = PositiveIntegerField(_("quantity"), default=1, validators=up_to(MAX_QUANTITY))
    cost_of_goods = MoneyField(
        _("cost of goods (each)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    retail_value = MoneyField(
        _("retail value (each)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    commission_percent = DecimalField(
        _("commission %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    discount_code = models.CharField(
        _("discount code"), max_length=60, blank=True, validators=[validate_single_line]
    )

    class Meta(TermsChild.Meta):
        verbose_name = _("compensation line")
        verbose_name_plural = _("compensation lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(cost_of_goods__isnull=True) | Q(cost_of_goods__gte=0))
                & (Q(retail_value__isnull=True) | Q(retail_value__gte=0)),
                name="comp_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(commission_percent__isnull=True)
                | Q(commission_percent__gte=0, commission_percent__lte=100),
                name="comp_percent_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cash") | Q(amount__isnull=False), name="comp_cash_has_amount"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["product", "perk"]) | ~Q(description=""),
                name="comp_goods_described",
            ),
            models.CheckConstraint(
                condition=~Q(kind="product") | Q(quantity__gte=1), name="comp_product_quantity"
            ),
            models.CheckConstraint(
                condition=Q(quantity__lte=MAX_QUANTITY), name="comp_quantity_bounded"
            ),
            models.CheckConstraint(
                condition=~Q(kind="commission")
                | Q(commission_percent__isnull=False)
                | ~Q(discount_code=""),
                name="comp_commission_has_rate_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description or self.amount}"

    def clean(self) -> None:
        Kind, errors = self.Kind, {}
        if self.kind == Kind.CASH and self.amount is None:
            errors["amount"] = _("A cash fee needs an amount.")
        if self.kind in (Kind.PRODUCT, Kind.PERK) and not (self.description or "").strip():
            errors["description"] = _("Say what it is.")
        if self.kind == Kind.PRODUCT and not self.quantity:
            errors["quantity"] = _("How many of the product?")
        if (
            self.kind == Kind.COMMISSION
            and self.commission_percent is None
            and not self.discount_code
        ):
            errors["commission_percent"] = _("Give a commission percentage or a discount code.")
        if errors:
            raise ValidationError(errors)


# ASCII digits only, to the very end ("$" would allow a trailing newline).
TIER_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?\Z", re.ASCII)


def validate_bonus_tiers(tiers) -> None:
    """[{"threshold": 3000, "amount": "300.00"}, ...]: payouts are computed from this, so
    thresholds are positive whole numbers going up and amounts are decimal strings."""
    shape = _(
        "Bonus tiers must be a list of {threshold, amount}: a whole number above zero and "
        'an amount such as "300.00".'
    )
    if not isinstance(tiers, list):
        raise ValidationError(shape, code="tier_shape")
    previous = None
    for tier in tiers:
        if not isinstance(tier, dict) or set(tier) != {"threshold", "amount"}:
            raise ValidationError(shape, code="tier_shape")
        threshold, amount = tier["threshold"], tier["amount"]
        if type(threshold) is not int or not 0 < threshold <= MAX_TARGET:
            raise ValidationError(shape, code="tier_shape")
        if not isinstance(amount, str) or not TIER_AMOUNT.match(amount):
            raise ValidationError(shape, code="tier_shape")
        if Decimal(amount) <= 0:
            raise ValidationError(
                _("The bonus at %(threshold)s must be more than zero.") % {"threshold": threshold},
                code="tier_amount",
            )
        if previous is not None and threshold <= previous:
            raise ValidationError(
                _("Bonus thresholds must go up: %(threshold)s is not above %(prev)s.")
                % {"threshold": threshold, "prev": previous},
                code="tier_order",
            )
        previous = threshold


class KpiTarget(TermsChild):
    class Metric(models.TextChoices):
        POSTS_PUBLISHED = "posts_published", _("Posts published")
        LINK_CLICKS = "link_clicks", _("Link clicks")
        SESSIONS = "sessions", _("Landing-page sessions")
        CONVERSIONS = "conversions", _("Conversions")
        ENGAGEMENTS = "engagements", _("Engagements")
        VIEWS = "views", _("Views")

    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="kpis")
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    target = PositiveIntegerField(_("target"), validators=up_to(MAX_TARGET, minimum=1))
    # [{"threshold": 3000, "amount": "300.00"}, ...] amounts as strings: never floats.
    bonus_tiers = models.JSONField(
        _("bonus tiers"), default=list, blank=True, validators=[validate_bonus_tiers]
    )

    class Meta(TermsChild.Meta):
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=1), name="kpi_target_positive"),
            models.CheckConstraint(condition=Q(target__lte=MAX_TARGET), name="kpi_target_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ≥ {self.target}"

    def clean(self) -> None:
        tiers = self.bonus_tiers
        if not self.target or not isinstance(tiers, list) or not tiers:
            return
        first = tiers[0].get("threshold") if isinstance(tiers[0], dict) else None
        if type(first) is int and first <= self.target:
            raise ValidationError(
                {
                    "bonus_tiers": _("Each bonus threshold must be above the target (%(target)s).")
                    % {"target": self.target}
                }
            )


class Acceptance(models.Model):
    """The influencer's acceptance of one exact terms version. Written once."""

    version = models.OneToOneField(
        TermsVersion, on_delete=models.PROTECT, related_name="acceptance"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.version} accepted by {self.accepted_by} at {self.accepted_at:%Y-%m-%d %H:%M}"


class ChangeRequest(models.Model):
    """The influencer asks for changes to a proposed version instead of accepting it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="change_requests"
    )
    version = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = LimitedTextField(
        _("what would you like changed?"), max_length=4000, validators=[validate_text]
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership} v{self.version.number}: {self.message[:40]}"
