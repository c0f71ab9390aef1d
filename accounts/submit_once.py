"""One-time submit tokens: a double click or a retried POST of a create form creates one
row, and the second answer is a redirect to what the first one created.

A create form carries a hidden random token (`SubmitTokenFormMixin`). The view runs its
create inside `submit_once(...)`, which inserts the token's row (`SubmitToken`, unique)
in the same transaction as the create: two POSTs racing with one token meet on that
unique index, the second waits for the first to commit and then creates nothing. A POST
arriving after the first committed is answered by `replay` before the form is even
validated (it might no longer be valid: the email it adds is now taken). A form posted
without a token (an old page, a script) still works, without the protection.

    if (done := submit_once.replay(request)) is not None:
        return done
    ...
    try:
        with submit_once.submit_once(user=request.user, token=form.submit_token) as receipt:
            influencer = services.influencer_create(...)
            receipt.url = influencer.get_absolute_url()
    except submit_once.AlreadySubmitted as done:
        return done.response(request)
"""

import datetime
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import SubmitToken, User

TOKEN_FIELD = "submit_token"  # noqa: S105 - a form field name, not a secret
TOKEN_TEXT = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _valid(token: str | None) -> bool:
    return bool(token) and bool(TOKEN_TEXT.match(token))


class SubmitTokenFormMixin:
    """Put first in a create form's bases: a hidden one-time token, kept out of
    `cleaned_data` (which views pass on to services) and offered as `form.submit_token`."""

    submit_token = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, max_length=64, initial=new_token, widget=forms.HiddenInput
        )

    def clean(self):
        cleaned = super().clean()
        token = self.cleaned_data.pop(TOKEN_FIELD, "")
        self.submit_token = token if _valid(token) else ""
        return cleaned


class AlreadySubmitted(Exception):
    """This token was used: `url` is what its first POST created ("" if unknown)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url

    def response(self, request: HttpRequest, fallback: str = "/") -> HttpResponse:
        messages.info(request, _("That was already saved; here it is."))
        safe = url_has_allowed_host_and_scheme(self.url, allowed_hosts={request.get_host()})
        return redirect(self.url if self.url and safe else fallback)


def used_url(*, user: User, token: str | None) -> str | None:
    """Where the token's first POST led, or None if the token was not used (by `user`)."""
    if not _valid(token) or not user.is_authenticated:
        return None
    return (
        SubmitToken.objects.filter(token=token, user=user)
        .values_list("result_url", flat=True)
        .first()
    )


def replay(request: HttpRequest, fallback: str = "/") -> HttpResponse | None:
    """A redirect to what this POST's token already created; None if it was not used."""
    if request.method != "POST":
        return None
    url = used_url(user=request.user, token=request.POST.get(TOKEN_FIELD))
    return None if url is None else AlreadySubmitted(url).response(request, fallback)


@dataclass
class Receipt:
    url: str = ""


@contextmanager
def submit_once(*, user: User, token: str) -> Iterator[Receipt]:
    """Run the block (a create) and record `token` as used, in one transaction; raise
    AlreadySubmitted instead if the token was used. Set `receipt.url` to where the
    result is shown."""
    with transaction.atomic():
        row = None
        if _valid(token):
            try:
                with transaction.atomic():  # a savepoint: the clash must not poison the rest
                    row = SubmitToken.objects.create(token=token, user=user)
            except IntegrityError:
                # Another request with this token committed first (we waited on its lock).
                raise AlreadySubmitted(used_url(user=user, token=token) or "") from None
        receipt = Receipt()
        yield receipt
        if row is not None and receipt.url:
            row.result_url = receipt.url[:500]
            row.save(update_fields=["result_url"])


# A retried POST comes within minutes; a day covers a form left open overnight.
KEEP_USED_TOKENS = datetime.timedelta(days=1)


def submit_tokens_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete used tokens older than KEEP_USED_TOKENS (one row per create otherwise
    accumulates); a form posted again after that creates anew. Returns how many went."""
    cutoff = (now or timezone.now()) - KEEP_USED_TOKENS
    deleted, _by_model = SubmitToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
