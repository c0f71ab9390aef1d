from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.submit_once import SubmitTokenFormMixin

from .models import TERMS_FIELD_NAMES, Campaign, DefaultTerms, TermsFields
from .services import utm_taken_error

MUST_HAVE_MAX_LENGTH = TermsFields._meta.get_field("brief_must_haves").base_field.max_length
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


class TermsFieldsForm(forms.ModelForm):
    """The terms fields as the model defines them (labels, limits, defaults, help), for a
    campaign's default terms and for a partnership's terms version alike."""

    brief_must_haves = LinesField(label=_("Must-haves"), required=False)

    class Meta:
        fields = list(TERMS_FIELD_NAMES)
        widgets = {
            "creative_notes": forms.Textarea(attrs={"rows": 3}),
            "cancellation_terms": forms.Textarea(attrs={"rows": 2}),
        }

    def terms_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TERMS_FIELD_NAMES}


class DefaultTermsForm(TermsFieldsForm):
    """A campaign's default terms, edited on the campaign's form (same page, one save)."""

    # An empty day count means none, as the help texts say.
    EMPTY_MEANS_ZERO = ("usage_days", "exclusivity_days")

    class Meta(TermsFieldsForm.Meta):
        model = DefaultTerms
        help_texts = {
            "brief_must_haves": _(
                "One per line: key message, disclosure, link. Keep the list short."
            ),
            "exclusivity_days": _("0 or empty means no exclusivity."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.EMPTY_MEANS_ZERO:
            self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Default terms for new partnerships"), *TERMS_FIELD_NAMES)
        )

    def clean_usage_days(self):
        return self.cleaned_data["usage_days"] or 0

    def clean_exclusivity_days(self):
        return self.cleaned_data["exclusivity_days"] or 0


class CampaignForm(SubmitTokenFormMixin, forms.ModelForm):
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(Fieldset(_("Campaign"), *self._meta.fields))

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

    def campaign_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
