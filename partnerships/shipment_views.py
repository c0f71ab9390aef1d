"""Product shipments and payments on a partnership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import editor_required

from . import selectors, shipment_services
from .models import Shipment
from .shipment_forms import PaymentForm, ShipmentForm


@editor_required
def shipment_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    form = ShipmentForm(request.POST or None, initial={"currency": partnership.campaign.currency})
    if request.method == "POST" and form.is_valid():
        try:
            shipment = shipment_services.shipment_create(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added the shipment of %(item)s.") % {"item": shipment})
            return redirect(partnership)
    return render(
        request, "partnerships/shipment_form.html", {"form": form, "partnership": partnership}
    )


@editor_required
def shipment_edit(request: HttpRequest, pk: int, shipment_pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    shipment = get_object_or_404(Shipment, pk=shipment_pk, partnership=partnership)
    form = ShipmentForm(request.POST or None, instance=shipment)
    if request.method == "POST" and form.is_valid():
        try:
            shipment = shipment_services.shipment_update(
                shipment=shipment, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved the shipment of %(item)s.") % {"item": shipment})
            return redirect(partnership)
    return render(
        request,
        "partnerships/shipment_form.html",
        {"form": form, "partnership": partnership, "shipment": shipment},
    )


@editor_required
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    form = PaymentForm(request.POST or None, initial={"currency": partnership.campaign.currency})
    if request.method == "POST" and form.is_valid():
        try:
            payment = shipment_services.payment_record(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Recorded the payment: %(payment)s.") % {"payment": payment}
            )
            return redirect(partnership)
    return render(
        request, "partnerships/payment_form.html", {"form": form, "partnership": partnership}
    )
