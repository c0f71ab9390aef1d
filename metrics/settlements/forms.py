from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class SettlementFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("name"),
        required=False,
        empty_label=_("Every campaign"),
    )
    since = forms.DateField(
        label=_("Frozen from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Frozen until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The first day must not be after the last."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        campaign = data.get("campaign")
        return {
            "campaign": campaign.pk if campaign else None,
            "since": data.get("since"),
            "until": data.get("until"),
        }
