from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Provider
from .services import Mapping

DEFAULTS = Mapping()


class ConnectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("e.g. Kopi Kita Shopify"))
    provider = forms.ChoiceField(label=_("Kind"), choices=Provider.choices)
    secret = forms.CharField(
        label=_("Webhook signing secret"),
        required=False,
        max_length=300,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Shopify: the key shown under Settings → Notifications → Webhooks. "
            "WooCommerce: the secret you type when adding the webhook. Stored encrypted; "
            "not needed for CSV imports."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("provider") != Provider.CSV and not (data.get("secret") or "").strip():
            self.add_error("secret", _("A shop that sends webhooks needs its signing secret."))
        return data


class OrdersCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    order_id = forms.CharField(
        label=_("Column with the order id"), initial=DEFAULTS.order_id, max_length=100
    )
    placed_at = forms.CharField(
        label=_("Column with the order time"), initial=DEFAULTS.placed_at, max_length=100
    )
    amount = forms.CharField(
        label=_("Column with the amount (after discounts, before shipping and tax)"),
        initial=DEFAULTS.amount,
        max_length=100,
    )
    currency = forms.CharField(
        label=_("Column with the currency"), initial=DEFAULTS.currency, max_length=100
    )
    codes = forms.CharField(
        label=_("Column with the discount codes"),
        initial=DEFAULTS.codes,
        required=False,
        max_length=100,
    )
    landing_url = forms.CharField(
        label=_("Column with the landing URL"),
        initial=DEFAULTS.landing_url,
        required=False,
        max_length=100,
    )
    status = forms.CharField(
        label=_("Column with the order status"),
        initial=DEFAULTS.status,
        required=False,
        max_length=100,
    )
    status_at = forms.CharField(
        label=_("Column with when the status last changed"),
        initial=DEFAULTS.status_at,
        required=False,
        max_length=100,
    )

    def mapping(self) -> Mapping:
        return Mapping(**{f: self.cleaned_data.get(f) or "" for f in Mapping.__dataclass_fields__})
