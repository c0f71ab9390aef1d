from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer

from .models import Partnership
from .workflow import MANUAL_TRANSITIONS


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
            existing = Partnership.objects.filter(campaign=campaign, influencer=influencer).first()
            if existing:
                raise forms.ValidationError(
                    _("%(influencer)s is already in %(campaign)s.")
                    % {"influencer": influencer, "campaign": campaign.name}
                )
        return cleaned


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Partnership.Status.choices)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = MANUAL_TRANSITIONS[partnership.status]
        self.fields["status"].choices = [
            (value, label) for value, label in Partnership.Status.choices if value in allowed
        ]


class RenewForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Renew in campaign"), queryset=Campaign.objects.none()
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        taken = partnership.influencer.partnerships.values("campaign")
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
