import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.submit_once import SubmitTokenFormMixin
from common.fields import StrictIntegerFormField

from ..models import Contact, Partnership


class ContactForm(SubmitTokenFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    summary = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), required=False, queryset=Partnership.objects.none()
    )
    place = forms.CharField(label=_("Place (meetings)"), max_length=200, required=False)
    attendees = forms.CharField(label=_("Attendees (meetings)"), max_length=300, required=False)
    follow_up_in_days = StrictIntegerFormField(
        label=_("Follow up in (days)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Creates a follow-up for you in one step."),
    )
    follow_up_what = forms.CharField(label=_("Follow-up"), max_length=300, required=False)

    def __init__(self, *args, influencer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = influencer.partnerships.select_related("campaign")
        self.fields["partnership"].label_from_instance = lambda p: p.campaign.name

    def clean_happened_at(self):
        value = self.cleaned_data["happened_at"]
        if value and value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A contact cannot be in the future; use a follow-up."))
        return value


class FollowUpForm(SubmitTokenFormMixin, forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), required=False, queryset=Partnership.objects.none()
    )

    def __init__(self, *args, influencer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.marketers().filter(is_active=True)
        self.fields["partnership"].queryset = influencer.partnerships.select_related("campaign")
        self.fields["partnership"].label_from_instance = lambda p: p.campaign.name
