"""Shop connections (list, add) and the order CSV upload. Marketers read; editors write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import editor_required, marketer_required

from .. import selectors, services
from .forms import ConnectionForm, OrdersCsvForm
from .services import MAX_BYTES, CsvRejected, orders_import_csv


@marketer_required
def connections(request: HttpRequest) -> HttpResponse:
    form = ConnectionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.can_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                connection = services.connection_create(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s added.") % {"name": connection.name})
                return redirect("shop:connections")
    context = {"form": form, "connections": selectors.connections_with_counts()}
    return render(request, "shop/connection_list.html", context, status=400 if form.errors else 200)


@editor_required
def orders_import(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_for_user(request.user, pk)
    form = OrdersCsvForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(MAX_BYTES + 1)
        try:
            count = orders_import_csv(connection=connection, data=data, mapping=form.mapping())
        except CsvRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("%(count)s orders read; their numbers follow shortly.") % {"count": count},
            )
            return redirect("shop:connections")
    context = {"form": form, "connection": connection, "errors": errors}
    return render(request, "shop/orders_import.html", context, status=400 if errors else 200)
