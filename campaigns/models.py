from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.validators import ArrayMaxLengthValidator
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LimitedTextField, MoneyField, PositiveIntegerField
from common.validators import (
    MAX_DAYS,
    MONEY_NOT_NEGATIVE,
    check_date,
    today,
    up_to,
    validate_single_line,
    validate_text,
    years_from,
)

currency_validator = RegexValidator(
    r"^[A-Z]{3}\Z", _("Use a three-letter currency code, e.g. MYR.")
)


def default_currency() -> str:
    return settings.DEFAULT_CURRENCY


MAX_NET_DAYS = 365
# A brief's must-haves stay a short list (the form warns long before this).
MAX_MUST_HAVES = 30


class TermsFields(models.Model):
    """The terms of a partnership beyond its deliverables, compensation and KPIs: the one
    definition, shared by a campaign's default terms and every partnerships TermsVersion
    (which keeps these columns on its own table)."""

    brief_must_haves = ArrayField(
        models.CharField(max_length=300, validators=[validate_single_line]),
        verbose_name=_("must-haves"),
        validators=[ArrayMaxLengthValidator(MAX_MUST_HAVES)],
        default=list,
        blank=True,
        help_text=_("The few things every piece must include: key message, disclosure, link."),
    )
    creative_notes = LimitedTextField(
        _("creative notes"),
        max_length=4000,
        blank=True,
        validators=[validate_text],
        help_text=_("Ideas and context. Everything here is a suggestion, not a rule."),
    )
    content_approval_required = models.BooleanField(_("content approval required"), default=False)
    usage_channels = models.CharField(
        _("usage rights: where"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Where the brand may reuse the content, e.g. brand Instagram and website."),
    )
    usage_days = PositiveIntegerField(
        _("usage rights: days"),
        default=0,
        validators=up_to(MAX_DAYS),
        help_text=_("How long the brand may reuse the content; 0 means no reuse."),
    )
    paid_amplification = models.BooleanField(_("paid amplification allowed"), default=False)
    exclusivity_categories = models.CharField(
        _("exclusivity: categories"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
    )
    exclusivity_days = PositiveIntegerField(
        _("exclusivity: days"), default=0, validators=up_to(MAX_DAYS)
    )
    disclosure_rule = models.CharField(
        _("disclosure"),
        max_length=300,
        default="#ad",
        validators=[validate_single_line],
        help_text=_("e.g. #ad, #iklan, or the platform's paid-partnership label."),
    )
    payment_net_days = PositiveIntegerField(
        _("payment terms (net days)"), default=30, validators=up_to(MAX_NET_DAYS)
    )
    cancellation_terms = LimitedTextField(
        _("cancellation terms"), max_length=2000, blank=True, validators=[validate_text]
    )

    class Meta:
        abstract = True

    def terms_values(self) -> dict:
        """The terms as plain values, e.g. to start another row from them."""
        return {name: _copied(getattr(self, name)) for name in TERMS_FIELD_NAMES}


def terms_bounds(prefix: str) -> list[models.CheckConstraint]:
    """The database's copy of the day limits, for each table that has the terms fields
    (an abstract model's Meta is not inherited by a model with a Meta of its own)."""
    return [
        models.CheckConstraint(
            condition=Q(usage_days__lte=MAX_DAYS, exclusivity_days__lte=MAX_DAYS)
            & Q(payment_net_days__lte=MAX_NET_DAYS),
            name=f"{prefix}_days_bounded",
        ),
    ]


TERMS_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in TermsFields._meta.local_fields)


def _copied(value):
    return list(value) if isinstance(value, list) else value


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_marketer:
            return self
        return self.none()


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    brand = models.CharField(_("brand"), max_length=120, validators=[validate_single_line])
    goal = LimitedTextField(_("goal"), max_length=2000, blank=True, validators=[validate_text])
    key_message = LimitedTextField(
        _("key message"), max_length=1000, blank=True, validators=[validate_text]
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = MoneyField(_("budget"), default=Decimal("0"), validators=MONEY_NOT_NEGATIVE)
    currency = models.CharField(
        _("currency"), max_length=3, default=default_currency, validators=[currency_validator]
    )
    landing_page_url = models.URLField(_("landing page"), max_length=500, blank=True)
    utm_campaign = models.SlugField(
        _("UTM campaign"),
        max_length=80,
        unique=True,
        help_text=_("Used as utm_campaign in tracked links, e.g. raya_2026."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_campaigns",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.brand})"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict = {}
        # A campaign is planned at most five years ahead and runs at most ten years.
        check_date(errors, "starts_on", self.starts_on, latest=years_from(today(), 5))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        elif self.starts_on:
            check_date(errors, "ends_on", self.ends_on, latest=years_from(self.starts_on, 10))
        if errors:
            raise ValidationError(errors)

    def terms_or_defaults(self) -> "DefaultTerms":
        """The campaign's default terms, or the fields' own defaults if it has none."""
        try:
            return self.default_terms
        except DefaultTerms.DoesNotExist:
            return DefaultTerms(campaign=self)


class DefaultTerms(TermsFields):
    """The starting point for the terms of each new partnership in a campaign."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="default_terms",
        verbose_name=_("campaign"),
    )

    class Meta:
        verbose_name = _("default terms")
        verbose_name_plural = _("default terms")
        constraints = terms_bounds("default_terms")

    def __str__(self) -> str:
        return str(self.campaign)
