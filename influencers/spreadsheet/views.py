"""CSV import (upload, preview, confirm) and export. Format: docs/csv-format.md.

The uploaded text waits in the database (PendingImport) under a random token between
upload and confirm, for an hour at most; confirm parses and validates it again, so
rows are never taken back from the browser and a duplicate saved in between stops
the import.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
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

from .. import selectors, services
from ..filters import InfluencerFilter
from ..models import PENDING_IMPORT_TTL, PendingImport
from . import rows

VALID_ONLY = "valid_only"
REJECTED_FILENAME = "rejected-rows.csv"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, comma separated, column names in the first row. "
            "At most %(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(rows.max_bytes()), "rows": f"{rows.MAX_ROWS:,}"}

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            rows.check_size(upload.size)
            text = rows.decode(upload.read(rows.max_bytes() + 1))
            rows.read_table(text)
        except rows.ImportFileError as exc:
            raise ValidationError(str(exc), code="bad_file") from exc
        return text


@editor_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            pending = services.pending_import_store(
                by=request.user, filename=request.FILES["file"].name, text=form.cleaned_data["file"]
            )
            return redirect(f"{reverse('influencers:import_confirm')}?token={pending.token}")
    else:
        form = ImportUploadForm()
    return render(
        request, "influencers/import_upload.html", {"form": form, "columns": rows.COLUMNS}
    )


@editor_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token") or request.GET.get("token") or ""
    pending = selectors.pending_import_for_user(request.user, token)
    if pending is None or pending.is_expired():
        return _upload_again(request, pending)
    preview = rows.parse(pending.text)
    refused = request.method == "POST"
    if request.method == "POST" and request.POST.get("choice") == VALID_ONLY:
        response = _import_valid_only(request, pending, preview)
        if response is not None:
            return response
        preview = rows.parse(pending.text)  # refused: show why, as it stands now
    elif request.method == "POST" and preview.ok:
        # A double click must not import twice: the import uses the upload up in its own
        # transaction, so a second confirm waits on the upload's row and finds it gone.
        # (Postgres only: the cache may be down, and a request must still import.)
        try:
            created = rows.import_rows(preview, pending=pending, by=request.user)
        except services.ImportAlreadyDone:
            messages.error(request, _("This file is already being imported."))
            return redirect("influencers:list")
        if created is not None:
            count = len(created)
            messages.success(
                request,
                ngettext("Imported %(count)d influencer.", "Imported %(count)d influencers.", count)
                % {"count": count},
            )
            return redirect("influencers:list")
        # The database refused the batch: check again to show which rows clash now.
        preview = rows.parse(pending.text)
    context = {
        "preview": preview,
        "valid_only": VALID_ONLY,
        "token": pending.token,
        "filename": pending.filename,
        "refused": refused,
    }
    return render(request, "influencers/import_preview.html", context)


def _import_valid_only(
    request: HttpRequest, pending: PendingImport, preview: rows.Preview
) -> HttpResponse | None:
    """Import the valid rows and answer with the rejected ones as a CSV download; None
    when nothing was imported (the caller shows the preview again)."""
    if preview.ok or not preview.valid_rows:
        return None  # nothing to split: the all-or-nothing button is the one to use
    try:
        created = rows.import_valid_rows(preview, pending=pending, by=request.user)
    except services.ImportAlreadyDone:
        return _upload_again(request, None)
    if created is None:
        return None
    count, rejected = len(created), preview.rows_with_errors
    messages.success(
        request,
        ngettext(
            "Imported %(count)d influencer. The %(rejected)d rejected rows are in %(file)s.",
            "Imported %(count)d influencers. The %(rejected)d rejected rows are in %(file)s.",
            count,
        )
        % {"count": count, "rejected": rejected, "file": REJECTED_FILENAME},
    )
    response = _csv_response(REJECTED_FILENAME)
    rows.write_rejected_csv(response, pending.text, preview)
    return response


@marketer_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = _csv_response("influencer-import-template.csv")
    rows.write_csv(response, rows.EXAMPLE_ROWS)
    return response


@marketer_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    filterset = InfluencerFilter(
        request.GET or None, queryset=selectors.influencer_list(request.user)
    )
    influencers = filterset.qs
    response = _csv_response(f"influencers-{timezone.localdate():%Y-%m-%d}.csv")
    rows.write_csv(response, (rows.export_values(influencer) for influencer in influencers))
    return response


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_again(request: HttpRequest, pending: PendingImport | None) -> HttpResponse:
    if pending is None:
        messages.error(request, _("That import has expired or is done. Upload the file again."))
    else:
        services.pending_import_drop(pending=pending)
        messages.error(
            request,
            _(
                "This upload has expired: a file waits %(minutes)d minutes for you to "
                "confirm it. Upload the file again."
            )
            % {"minutes": PENDING_IMPORT_TTL // timedelta(minutes=1)},
        )
    return redirect("influencers:import")
