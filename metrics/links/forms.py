from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.submit_once import SubmitTokenFormMixin
from influencers.models import Channel
from partnerships.models import Partnership

from ..models import TrackedLink
from ..models.links import MAX_URL


class TrackedLinkForm(SubmitTokenFormMixin, forms.ModelForm):
    # "kopikita.example/raya" means https; the model still refuses anything but http(s).
    destination = forms.URLField(
        label=_("Destination"),
        max_length=MAX_URL,
        assume_scheme="https",
        help_text=_("Where the link leads: an http:// or https:// address."),
    )

    class Meta:
        model = TrackedLink
        fields = [
            "destination",
            "channel",
            "label",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
        ]
        help_texts = {
            "utm_source": _("Leave the UTM fields empty to have them filled in."),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        channels = Channel.objects.filter(influencer=partnership.influencer_id)
        self.fields["channel"].queryset = channels
        self.fields["channel"].required = False
        self.instance.partnership = partnership
