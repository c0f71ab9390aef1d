from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.submit_once import SubmitTokenFormMixin
from campaigns.models import Campaign
from influencers.models import Influencer

from .managers import CLOSED_WITHOUT_DEAL
from .models import Partnership
from .workflow import CLOSING_STATUSES, MANUAL_TRANSITIONS


class PartnershipCreateForm(SubmitTokenFormMixin, forms.Form):
    """The influencer is picked by typing: with JavaScript a search list fills the hidden
    `influencer` id; without it the typed text must name exactly one influencer (name,
    email or handle), so the form works at any roster size without a 2,000-row select."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.exclude(status=Campaign.Status.ENDED)
    )
    influencer_query = forms.CharField(
        label=_("Influencer"),
        required=False,
        max_length=200,
        help_text=_("Type a name, handle or email and choose from the list."),
    )
    influencer = forms.ModelChoiceField(
        queryset=Influencer.objects.none(), required=False, widget=forms.HiddenInput
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.marketers().filter(is_active=True),
        required=False,
        help_text=_("Who looks after this partnership. Leave empty to own it yourself."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["influencer"].queryset = Influencer.objects.visible_to(user)
        self.fields["influencer_query"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("influencers:pick"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": "#influencer-picks",
                "data-picker": "id_influencer",
                "aria-controls": "influencer-picks",
            }
        )
        chosen = self.initial.get("influencer")
        if chosen and not self.is_bound:
            influencer = self.fields["influencer"].queryset.filter(pk=chosen).first()
            if influencer:
                self.initial["influencer_query"] = influencer.name

    def clean(self):
        cleaned = super().clean()
        if self.errors.pop("influencer", None):  # an id out of reach: say so by the text box
            self.add_error("influencer_query", _("Choose an influencer from the list."))
        elif not cleaned.get("influencer"):
            cleaned["influencer"] = self._influencer_from_text(cleaned.get("influencer_query"))
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

    def _influencer_from_text(self, text: str | None) -> Influencer | None:
        text = (text or "").strip()
        if not text:
            self.add_error("influencer_query", _("Choose an influencer."))
            return None
        matches = list(self.fields["influencer"].queryset.exact_match(text)[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            message = _("Several influencers match “%(text)s”; choose one from the list.")
        else:
            message = _("No influencer is called “%(text)s”; check the spelling.")
        self.add_error("influencer_query", message % {"text": text[:80]})
        return None


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


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        required=False,
        max_length=100,
        help_text=_("The brand reads this. A short word helps them make a better offer."),
    )


class ChangeRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like changed?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The brand reads this and sends you a new version to accept."),
    )
