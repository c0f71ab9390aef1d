from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Campaign
from .services import DEFAULT_TERMS_KEYS, utm_taken_error

# What a new partnership gets when the campaign does not say otherwise; the same
# defaults as the terms themselves.
TERMS_DEFAULTS = {
    "brief_must_haves": [],
    "creative_notes": "",
    "content_approval_required": False,
    "usage_channels": "",
    "usage_days": 0,
    "paid_amplification": False,
    "exclusivity_categories": "",
    "exclusivity_days": 0,
    "disclosure_rule": "#ad",
    "payment_net_days": 30,
    "cancellation_terms": "",
}
MUST_HAVE_MAX_LENGTH = 300
UTM_MAX_LENGTH = Campaign._meta.get_field("utm_campaign").max_length


class LinesField(forms.CharField):
    """One item per line in the form, a list of strings in the data."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [line.strip() for line in value.splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        for line in value:
            if len(line) > MUST_HAVE_MAX_LENGTH:
                raise forms.ValidationError(
                    _("Keep each must-have under %(max)s characters: “%(start)s…” is longer.")
                    % {"max": MUST_HAVE_MAX_LENGTH, "start": line[:40]}
                )


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    brief_must_haves = LinesField(
        label=_("Must-haves"),
        required=False,
        help_text=_("One per line: key message, disclosure, link. Keep the list short."),
    )
    creative_notes = forms.CharField(
        label=_("Creative notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ideas and context. Everything here is a suggestion, not a rule."),
    )
    content_approval_required = forms.BooleanField(
        label=_("Content approval required"), required=False
    )
    usage_channels = forms.CharField(
        label=_("Usage rights: where"),
        required=False,
        max_length=300,
        help_text=_("Where the brand may reuse the content, e.g. brand Instagram and website."),
    )
    usage_days = forms.IntegerField(
        label=_("Usage rights: days"),
        required=False,
        min_value=0,
        help_text=_("How long the brand may reuse the content; 0 means no reuse."),
    )
    paid_amplification = forms.BooleanField(label=_("Paid amplification allowed"), required=False)
    exclusivity_categories = forms.CharField(
        label=_("Exclusivity: categories"), required=False, max_length=300
    )
    exclusivity_days = forms.IntegerField(
        label=_("Exclusivity: days"),
        required=False,
        min_value=0,
        help_text=_("0 or empty means no exclusivity."),
    )
    disclosure_rule = forms.CharField(
        label=_("Disclosure"),
        max_length=300,
        help_text=_("e.g. #ad, #iklan, or the platform's paid-partnership label."),
    )
    payment_net_days = forms.IntegerField(
        label=_("Payment terms (net days)"), min_value=0, max_value=365
    )
    cancellation_terms = forms.CharField(
        label=_("Cancellation terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    landing_page_url = forms.URLField(
        label=_("Landing page"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "brand",
            "goal",
            "key_message",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "landing_page_url",
            "utm_campaign",
            "status",
            "owner",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "key_message": forms.Textarea(attrs={"rows": 2}),
            "starts_on": date_input(),
            "ends_on": date_input(),
            "budget": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "currency": forms.TextInput(
                attrs={"maxlength": "3", "autocapitalize": "characters", "class": "text-uppercase"}
            ),
        }
        help_texts = {
            "utm_campaign": _(
                "Used as utm_campaign in tracked links, e.g. raya_2026. "
                "Leave empty to make one from the name."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utm_campaign"].required = False
        owners = User.objects.marketers().filter(Q(is_active=True) | Q(pk=self.instance.owner_id))
        self.fields["owner"].queryset = owners.order_by("full_name", "email")
        terms = {**TERMS_DEFAULTS, **(self.instance.default_terms or {})}
        for key in DEFAULT_TERMS_KEYS:
            self.initial.setdefault(key, terms[key])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(
            Fieldset(_("Campaign"), *self._meta.fields),
            Fieldset(_("Default terms for new partnerships"), *DEFAULT_TERMS_KEYS),
        )

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget

    def clean_utm_campaign(self):
        return self.cleaned_data["utm_campaign"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if "utm_campaign" in cleaned and not cleaned["utm_campaign"]:
            if not cleaned.get("name"):
                return cleaned  # the name's own error says what to fix
            cleaned["utm_campaign"] = slugify(cleaned["name"]).replace("-", "_")[:UTM_MAX_LENGTH]
            if not cleaned["utm_campaign"]:
                self.add_error(
                    "utm_campaign", _("Enter a UTM campaign: letters, numbers and underscores.")
                )
                return cleaned
        if cleaned.get("utm_campaign"):
            error = utm_taken_error(cleaned["utm_campaign"], exclude_pk=self.instance.pk)
            if error is not None:
                self.add_error("utm_campaign", error)
        return cleaned

    def default_terms(self) -> dict:
        data = self.cleaned_data
        return {
            key: TERMS_DEFAULTS[key] if data[key] is None else data[key]
            for key in DEFAULT_TERMS_KEYS
        }

    def campaign_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**fields, "default_terms": self.default_terms()}
