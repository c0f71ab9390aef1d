"""A marketer types in a number about a partnership; viewers read only (403)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import editor_required
from partnerships import selectors as partnership_selectors

from .forms import ManualMetricForm
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
