"""Product shipments, payments and the review of handed-in posts on a partnership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import submit_once
from accounts.access import editor_required
from common.http import int_or_zero

from .. import selectors
from ..models import Shipment, Submission
from . import selectors as delivery_selectors
from . import shipments as shipment_services
from . import submissions as submission_services
from .forms import PaymentForm, ReviewForm, ShipmentForm


@editor_required
def shipment_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    if (done := submit_once.replay(request, partnership.get_absolute_url())) is not None:
        return done
    lines = delivery_selectors.product_lines(partnership)
    chosen = lines[int_or_zero(request.GET.get("line")) % len(lines)] if lines else None
    initial = delivery_selectors.shipment_initial(chosen, currency=partnership.campaign.currency)
    form = ShipmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                shipment = shipment_services.shipment_create(
                    partnership=partnership, by=request.user, **form.cleaned_data
                )
                done.url = partnership.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request, partnership.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added the shipment of %(item)s.") % {"item": shipment})
            return redirect(partnership)
    return render(
        request,
        "partnerships/shipment_form.html",
        {"form": form, "partnership": partnership, "product_lines": lines, "chosen": chosen},
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
    if (done := submit_once.replay(request, partnership.get_absolute_url())) is not None:
        return done
    form = PaymentForm(request.POST or None, initial={"currency": partnership.campaign.currency})
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                payment = shipment_services.payment_record(
                    partnership=partnership, by=request.user, **form.cleaned_data
                )
                done.url = partnership.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request, partnership.get_absolute_url())
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


@editor_required
@require_POST
def review(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    submission = get_object_or_404(Submission, pk=submission_pk, partnership=partnership)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            submission = submission_services.submission_review(
                submission=submission,
                by=request.user,
                approve=form.approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if request.headers.get("HX-Request"):
        context = {
            "partnership": partnership,
            "state": selectors.terms_state(partnership),
            "review": {"submission_id": submission.pk, "form": form, "ok": not form.errors},
        }
        return render(request, "partnerships/_deliverables_review.html", context)
    if form.errors:
        messages.error(request, " ".join(_messages(form)))
    elif submission.status == Submission.Status.APPROVED:
        messages.success(request, _("Approved. The influencer has been told."))
    else:
        messages.success(request, _("Sent back for a fix. The influencer has been told."))
    return redirect(partnership)


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]
