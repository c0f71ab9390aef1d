from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter currency code, e.g. MYR."))


def default_currency() -> str:
    return settings.DEFAULT_CURRENCY


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

    name = models.CharField(_("name"), max_length=150)
    brand = models.CharField(_("brand"), max_length=120)
    goal = models.TextField(_("goal"), max_length=2000, blank=True)
    key_message = models.TextField(_("key message"), max_length=1000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
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
    default_terms = models.JSONField(
        _("default terms"),
        default=dict,
        blank=True,
        help_text=_("Starting point for the terms of each new partnership."),
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
        from django.core.exceptions import ValidationError

        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
