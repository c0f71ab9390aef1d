"""Forms for shipments, payments and handed-in posts. Whether a link fits the platform,
the piece exists and the terms are in force is the service's business (submissions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.submit_once import SubmitTokenFormMixin

from ..models import Payment, Shipment
from .shipments import SHIPMENT_FIELDS
from .submissions import MAX_COMMENT_LENGTH, MAX_URL_LENGTH

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"})


class UpperCaseCurrencyMixin:
    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()


def review_url_field() -> forms.URLField:
    return forms.URLField(
        label=_("review post"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The link to their post about it, once they made one."),
    )


class ShipmentForm(SubmitTokenFormMixin, UpperCaseCurrencyMixin, forms.ModelForm):
    review_url = review_url_field()

    class Meta:
        model = Shipment
        fields = list(SHIPMENT_FIELDS)
        widgets = {
            "sent_on": DATE_INPUT,
            "delivered_on": DATE_INPUT,
            "value": MONEY_INPUT,
            "shipping_cost": MONEY_INPUT,
        }
        help_texts = {
            "item": _(
                "Name it as the product line in the terms names it, so its cost counts once: "
                "a shipment of a product in the terms replaces that line's cost."
            ),
            "value": _(
                "What the goods cost you in total, not their retail price. Leave 0 to use "
                "the cost each from the matching product line in the terms."
            ),
            "currency": _("Three letters, e.g. MYR."),
        }


class PaymentForm(SubmitTokenFormMixin, UpperCaseCurrencyMixin, forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["kind", "amount", "currency", "paid_on", "note"]
        widgets = {"paid_on": DATE_INPUT, "amount": MONEY_INPUT}
        help_texts = {
            "kind": _("Every kind counts as paid; bonuses and commission also count as committed."),
            "currency": _("Three letters, e.g. MYR."),
        }


class HandInForm(forms.Form):
    piece = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    post_url = forms.CharField(
        label=_("Link to your post"),
        max_length=MAX_URL_LENGTH,
        # A URLField would quietly prefix "https://" to anything; the service explains
        # what is wrong with a link instead.
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )


class ReviewForm(forms.Form):
    APPROVE = "approve"
    NEEDS_FIX = "needs_fix"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (NEEDS_FIX, _("Ask for a fix"))])
    comment = forms.CharField(
        label=_("What needs fixing?"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
