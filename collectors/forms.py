from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from influencers.models import Channel

from .models import CREATOR_PROVIDERS, Connection


def channel_label(channel: Channel) -> str:
    return f"{channel.influencer.name} · {channel.get_platform_display()} · {channel.handle}"


class ConnectionForm(forms.ModelForm):
    """What a connection covers and its credential. The credential is write-only: the
    field is always rendered empty, and left empty on edit it keeps the stored one."""

    credential = forms.CharField(
        label=_("API key or token"),
        required=False,
        strip=True,
        max_length=10_000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    base_url = forms.URLField(
        label=_("Base URL"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Connection
        fields = [
            "provider",
            "name",
            "channel",
            "site_id",
            "campaign",
            "account_id",
            "base_url",
            "owner",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            self.fields["provider"].disabled = True
            self.fields["credential"].help_text = _(
                "Stored encrypted (%(masked)s). Leave empty to keep it; "
                "type a new one to replace it."
            ) % {"masked": self.instance.credential_masked}
        else:
            # A creator's own login is granted on the portal, never typed in here.
            self.fields["provider"].choices = [
                (value, label)
                for value, label in self.fields["provider"].choices
                if value not in CREATOR_PROVIDERS
            ]
            self.fields["credential"].required = True
            self.fields["credential"].help_text = _(
                "YouTube and Plausible: an API key; Matomo: a token_auth; Instagram: your "
                "account's access token; GA4: the service account's JSON key. Stored "
                "encrypted, never shown again."
            )
        channels = Channel.objects.select_related("influencer")
        self.fields["channel"].queryset = channels.order_by("influencer__name", "platform")
        self.fields["channel"].label_from_instance = lambda c: (
            f"{c.influencer.name} · {c.get_platform_display()} · {c.handle}"
        )
        owners = User.objects.marketers().filter(Q(is_active=True) | Q(pk=self.instance.owner_id))
        self.fields["owner"].queryset = owners.order_by("full_name", "email")
        self.fields["owner"].required = False
        self.fields["base_url"].help_text = _(
            "Only for a self-hosted Plausible or Matomo (e.g. https://stats.example.com); "
            "leave empty for the provider's own service."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def connection_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "provider"}
        if data["owner"] is None:
            data.pop("owner")
        return data
