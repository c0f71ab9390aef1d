"""A marketer types in a number about a partnership; viewers read only (403)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import editor_required
from campaigns import selectors as campaign_selectors
from partnerships import selectors as partnership_selectors

from . import csv_entry
from .forms import ManualMetricForm, MetricCsvForm
from .services import metric_enter_manual


@editor_required
def metric_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_selectors.partnership_for_user(request.user, pk, write=True)
    form = ManualMetricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            metric_enter_manual(
                partnership=partnership,
                metric=data["metric"],
                day=data["day"],
                value=data["value"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(metric)s saved, labelled manual.") % {"metric": form.metric_label()}
            )
            return redirect(partnership)
    return render(
        request, "metrics/manual_metric_form.html", {"form": form, "partnership": partnership}
    )


@editor_required
def metric_csv_upload(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_selectors.campaign_for_user(request.user, pk, write=True)
    form = MetricCsvForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(csv_entry.MAX_BYTES + 1)
        try:
            written = csv_entry.metrics_import_csv(campaign=campaign, data=data, by=request.user)
        except csv_entry.CsvRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(count)s numbers saved, labelled manual.") % {"count": written}
            )
            return redirect(campaign)
    context = {
        "form": form,
        "campaign": campaign,
        "errors": errors,
        "metrics": csv_entry.metric_choices(),
    }
    return render(request, "metrics/metric_csv_upload.html", context, status=400 if errors else 200)


@editor_required
def metric_csv_template(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_selectors.campaign_for_user(request.user, pk, write=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="numbers-campaign-{campaign.pk}.csv"'
    csv_entry.write_template(response, campaign=campaign)
    return response
