"""CSV import (upload, preview, confirm) and export. Format: docs/csv-format.md.

The uploaded text waits in the session under a random token between upload and
confirm; confirm parses and validates it again, so rows are never taken back from
the browser and a duplicate saved in between stops the import.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import editor_required, marketer_required

from . import csv_io, selectors
from .filters import InfluencerFilter

SESSION_KEY = "influencer_imports"
KEEP_PENDING = 3  # uploads waiting for confirmation per session (one per open tab, roughly)
CONFIRM_LOCK_SECONDS = 60 * 60


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, comma separated, column names in the first row. "
            "At most %(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(csv_io.max_bytes()), "rows": f"{csv_io.MAX_ROWS:,}"}

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            csv_io.check_size(upload.size)
            text = csv_io.decode(upload.read(csv_io.max_bytes() + 1))
            csv_io.read_table(text)
        except csv_io.ImportFileError as exc:
            raise ValidationError(str(exc), code="bad_file") from exc
        return text


@editor_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            token = _stash(request, form.cleaned_data["file"], request.FILES["file"].name)
            return redirect(f"{reverse('influencers:import_confirm')}?token={token}")
    else:
        form = ImportUploadForm()
    return render(
        request, "influencers/import_upload.html", {"form": form, "columns": csv_io.COLUMNS}
    )


@editor_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token") or request.GET.get("token") or ""
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None:
        messages.error(request, _("That import has expired or is done. Upload the file again."))
        return redirect("influencers:import")
    preview = csv_io.parse(pending["text"])
    refused = request.method == "POST"
    if request.method == "POST" and preview.ok:
        # A double click must not import twice: only one request may claim the token.
        lock = f"influencer-import:{token}"
        if not cache.add(lock, 1, CONFIRM_LOCK_SECONDS):
            messages.error(request, _("This file is already being imported."))
            return redirect("influencers:list")
        created = csv_io.import_rows(preview, by=request.user)
        if created is not None:
            _drop(request, token)
            count = len(created)
            messages.success(
                request,
                ngettext("Imported %(count)d influencer.", "Imported %(count)d influencers.", count)
                % {"count": count},
            )
            return redirect("influencers:list")
        cache.delete(lock)
        # The database refused the batch: check again to show which rows clash now.
        preview = csv_io.parse(pending["text"])
    context = {"preview": preview, "token": token, "filename": pending["name"], "refused": refused}
    return render(request, "influencers/import_preview.html", context)


@marketer_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = _csv_response("influencer-import-template.csv")
    csv_io.write_csv(response, csv_io.EXAMPLE_ROWS)
    return response


@marketer_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    filterset = InfluencerFilter(
        request.GET or None, queryset=selectors.influencer_list(request.user)
    )
    influencers = filterset.qs
    response = _csv_response(f"influencers-{timezone.localdate():%Y-%m-%d}.csv")
    csv_io.write_csv(response, (csv_io.export_values(influencer) for influencer in influencers))
    return response


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stash(request: HttpRequest, text: str, filename: str) -> str:
    token = secrets.token_urlsafe(16)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"text": text, "name": filename[:200]}
    # Dicts keep insertion order: the oldest uploads go first.
    request.session[SESSION_KEY] = dict(list(pending.items())[-KEEP_PENDING:])
    return token


def _drop(request: HttpRequest, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
