from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer

from .managers import CLOSED_WITHOUT_DEAL
from .models import Partnership
from .workflow import CLOSING_STATUSES, MANUAL_TRANSITIONS


class PartnershipCreateForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.exclude(status=Campaign.Status.ENDED)
    )
    influencer = forms.ModelChoiceField(
        label=_("Influencer"), queryset=Influencer.objects.order_by("name")
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.marketers().filter(is_active=True),
        required=False,
        help_text=_("Who looks after this partnership. Leave empty to own it yourself."),
    )

    def clean(self):
        cleaned = super().clean()
        campaign, influencer = cleaned.get("campaign"), cleaned.get("influencer")
        if campaign and influencer:
            existing = Partnership.objects.open_pair(
                campaign=campaign, influencer=influencer
            ).first()
            if existing:
                raise forms.ValidationError(
                    _("%(influencer)s is already in %(campaign)s.")
                    % {"influencer": influencer, "campaign": campaign.name}
                )
        return cleaned


class TransitionForm(forms.Form):
    """Choose the next status; nothing is preselected. A closing move (cancel, decline,
    complete) is only carried out once `confirmed` comes back with a reason."""

    status = forms.ChoiceField(label=_("New status"), choices=Partnership.Status.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=100,
        help_text=_("Kept in the partnership's history."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = MANUAL_TRANSITIONS[partnership.status]
        self.fields["status"].choices = [
            (value, label) for value, label in Partnership.Status.choices if value in allowed
        ]

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["status"] in CLOSING_STATUSES and not (
            self.cleaned_data["confirmed"] and self.cleaned_data["reason"].strip()
        )


class RenewForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Renew in campaign"), queryset=Campaign.objects.none()
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        taken = partnership.influencer.partnerships.exclude(status__in=CLOSED_WITHOUT_DEAL).values(
            "campaign"
        )
        self.fields["campaign"].queryset = (
            Campaign.objects.exclude(status=Campaign.Status.ENDED)
            .exclude(pk__in=taken)
            .order_by("-starts_on")
        )


class ChangeRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like changed?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The brand reads this and sends you a new version to accept."),
    )
