"""Settlements: freeze one (editors, with a confirmation step), list and export the
frozen ones (any marketer)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import editor_required, marketer_required
from partnerships import selectors as partnership_selectors

from . import export, selectors, services
from .forms import SettlementFilterForm

PAGE_SIZE = 50


@editor_required
def settlement_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation with the figures; POST freezes them."""
    partnership = partnership_selectors.partnership_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            settlement = services.settlement_freeze(partnership=partnership, by=request.user)
        except services.SettlementError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request, _("Settlement %(ref)s frozen.") % {"ref": settlement.reference}
            )
        return redirect(partnership)
    context = {
        "partnership": partnership,
        "preview": selectors.settlement_preview(partnership),
        "settled": selectors.settlement_of(partnership),
    }
    return render(request, "metrics/settlement_confirm.html", context)


@marketer_required
def settlement_list(request: HttpRequest) -> HttpResponse:
    form = SettlementFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    settlements = selectors.settlements_for_user(request.user, **filters)
    page = Paginator(settlements, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(s, selectors.statement_of(s)) for s in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "metrics/settlement_list.html", context)


@marketer_required
def settlements_csv(request: HttpRequest) -> HttpResponse:
    form = SettlementFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(
            " ".join(m for errors in form.errors.values() for m in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters() if request.GET else {}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="settlements.csv"'
    export.write_settlements(response, selectors.settlements_for_user(request.user, **filters))
    return response
