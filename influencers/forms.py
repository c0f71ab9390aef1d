import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.submit_once import SubmitTokenFormMixin

from . import handles
from .models import RESEARCH_HELP, Channel, Influencer, Platform, ResearchItem, Stage
from .services import INFLUENCER_FIELDS, channel_owner, duplicate_channel_error


class TagsField(forms.CharField):
    """Comma-separated tags in the form, a list in the model."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]


def marketer_choices():
    return User.objects.marketers().filter(is_active=True).order_by("full_name", "email")


class InfluencerForm(SubmitTokenFormMixin, forms.ModelForm):
    languages = TagsField(
        label=_("Languages"), required=False, help_text=_("Comma-separated, e.g. Malay, English")
    )
    niches = TagsField(
        label=_("Niches"), required=False, help_text=_("Comma-separated tags, e.g. food, travel")
    )

    class Meta:
        model = Influencer
        fields = list(INFLUENCER_FIELDS)  # exactly what influencer_update accepts
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = marketer_choices()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email:
            clash = Influencer.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(
                    _("%(name)s already uses this email.") % {"name": clash.first().name}
                )
        return email


AUTO_PLATFORM = "auto"


class ChannelHandleMixin:
    """Checks a typed handle or profile link with the influencers' own normaliser and the
    one-owner-per-account rule; `channel_add`/`channel_update` normalise it again to save.
    A platform left on "detect" is read from the pasted link's host."""

    def clean(self):
        cleaned = super().clean()
        platform, raw = cleaned.get("platform"), cleaned.get("handle")
        if raw is None:
            return cleaned
        if platform in ("", AUTO_PLATFORM, None) and "platform" not in self.errors:
            platform = handles.infer_platform(raw)
            if platform is None:
                self.add_error(
                    "platform",
                    _("Choose the platform: it cannot be told from a handle or this link."),
                )
                return cleaned
            cleaned["platform"] = platform
        if not platform:
            return cleaned
        try:
            normalised = handles.normalise(platform, raw)
        except ValidationError as error:
            self.add_error("handle", error)
            return cleaned
        owner = channel_owner(platform, normalised.handle, exclude_pk=self.instance.pk)
        if owner is not None:
            self.add_error("handle", duplicate_channel_error(platform, normalised.handle, owner))
        return cleaned

    def _post_clean(self):
        # The service normalises and saves; skip the model's own unique check on raw input.
        pass


class ChannelForm(ChannelHandleMixin, forms.ModelForm):
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        initial=AUTO_PLATFORM,
        choices=[(AUTO_PLATFORM, _("Detect from the link")), *Platform.choices],
    )
    handle = forms.CharField(
        label=_("Handle or profile link"),
        help_text=_("@name, or paste the profile link; blogs and podcasts need their web address."),
        widget=forms.TextInput(
            attrs={"data-platform-hosts": json.dumps(handles.platform_hosts(), sort_keys=True)}
        ),
    )

    class Meta:
        model = Channel
        fields = ["platform", "handle", "followers", "account_id", "is_primary"]
        labels = {"account_id": _("Platform account id (optional)")}

    def __init__(self, *args, influencer: Influencer | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.influencer = influencer
        if self.instance.pk:
            self.initial.setdefault("handle", self.instance.display_handle)


class NewChannelFormSet(forms.BaseFormSet):
    """Channel rows on the new-influencer form; blank rows are ignored."""

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if form.errors or not data.get("handle"):
                continue
            key = (data["platform"], handles.normalise(data["platform"], data["handle"]).handle)
            if key in seen:
                form.add_error("handle", _("This channel is already listed above."))
            seen.add(key)

    def channels(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in ChannelForm.Meta.fields}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


def new_channel_formset(data=None) -> NewChannelFormSet:
    if data is not None and "channels-TOTAL_FORMS" not in data:
        data = {"channels-TOTAL_FORMS": "0", "channels-INITIAL_FORMS": "0"}  # posted no rows
    formset_class = forms.formset_factory(ChannelForm, formset=NewChannelFormSet, extra=1)
    return formset_class(data, prefix="channels", form_kwargs={"influencer": None})


class ResearchForm(forms.Form):
    """One note per checklist item: an item is done once its note says what was found."""

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist_items = []
        for check in checks:
            self.fields[f"{check.item}_note"] = forms.CharField(
                label=ResearchItem(check.item).label,
                required=False,
                max_length=2000,
                initial=check.note,
                help_text=RESEARCH_HELP[check.item],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.checklist_items.append((check.item, self[f"{check.item}_note"]))

    def answers(self) -> dict[str, tuple[bool, str]]:
        return {
            item: (True, self.cleaned_data[f"{item}_note"]) for item, _note in self.checklist_items
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
