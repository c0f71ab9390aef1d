from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.submit_once import SubmitTokenFormMixin
from influencers.models import Channel
from partnerships.models import Partnership

from ..models.posts import Post


class PostForm(SubmitTokenFormMixin, forms.Form):
    url = forms.URLField(
        label=_("Post link"),
        max_length=Post._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text=_("The link to the published post, e.g. https://www.instagram.com/p/…"),
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        help_text=_("Leave empty to tell the platform from the link."),
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(
            influencer=partnership.influencer_id
        )
