"""Shapes of the hand-in and review forms. Whether the link fits the platform, the piece
exists and the terms are in force is the service's business (submission_services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .submission_services import MAX_COMMENT_LENGTH, MAX_URL_LENGTH


class HandInForm(forms.Form):
    piece = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    post_url = forms.CharField(
        label=_("Link to your post"),
        max_length=MAX_URL_LENGTH,
        # A URLField would quietly prefix "https://" to anything; the service explains
        # what is wrong with a link instead.
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )


class ReviewForm(forms.Form):
    APPROVE = "approve"
    NEEDS_FIX = "needs_fix"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (NEEDS_FIX, _("Ask for a fix"))])
    comment = forms.CharField(
        label=_("What needs fixing?"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
