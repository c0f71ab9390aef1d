"""Payout settlements: what a completed partnership owed, frozen once.

A settlement is written once, by `metrics.settlements.services.settlement_freeze`, with
its lines in the same transaction. Database triggers (migration 0011) refuse any UPDATE
or DELETE of a settlement or of its lines, and any line added to a settlement frozen in
an earlier transaction, whatever the code path (service, admin, shell, bulk update).
A settled partnership cannot be deleted (PROTECT): accounting records outlive it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import currency_validator
from common.fields import MoneyField
from common.validators import validate_single_line
from partnerships.models import Partnership, TermsVersion


class Settlement(models.Model):
    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.PROTECT,
        related_name="settlement",
        verbose_name=_("partnership"),
    )
    terms = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("terms version")
    )
    reference = models.CharField(
        _("reference"), max_length=30, unique=True, validators=[validate_single_line]
    )
    # The payee's name as it was when frozen: renaming the influencer later changes nothing.
    payee = models.CharField(_("payee"), max_length=200, validators=[validate_single_line])
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    # Set by the database (statement time) so the line trigger can tell this
    # transaction's settlement from an older one.
    frozen_at = models.DateTimeField(_("frozen at"))

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-frozen_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reference=""), name="settlement_has_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.payee}"


class SettlementLine(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash fee")
        BONUS = "bonus", _("Bonus")
        COMMISSION = "commission", _("Commission")
        PRODUCT = "product", _("Product")
        PERK = "perk", _("Perk")

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="lines", verbose_name=_("settlement")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(
        _("description"), max_length=300, blank=True, validators=[validate_single_line]
    )
    # The numbers the amount came from, as shown when frozen
    # ("Link clicks 3,120 ≥ 3,000: bonus tier").
    basis = models.CharField(
        _("basis"), max_length=500, blank=True, validators=[validate_single_line]
    )
    amount = MoneyField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    # Product and perks are listed with their value but are not owed in cash.
    in_cash = models.BooleanField(_("owed in cash"))

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["settlement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "position"], name="settlement_line_once"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="settlement_line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(in_cash=False) | Q(amount__isnull=False),
                name="settlement_cash_line_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"
