"""Partnership pages for marketers. The influencer portal is the `portal` app."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import submit_once
from accounts.access import editor_required, marketer_required

from . import costs, selectors, services
from .filters import PartnershipFilter
from .forms import PartnershipCreateForm, RenewForm, TransitionForm
from .models import Partnership
from .workflow import EDITABLE_STATUSES


@marketer_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .select_related("campaign", "influencer", "owner")
        .order_by("-status_changed_at", "-pk")
    )
    filterset = PartnershipFilter(request.GET or None, queryset=partnerships)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/partnership_list.html",
        {"form": filterset.form, "page": page, "query": query.urlencode()},
    )


@editor_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    if (done := submit_once.replay(request)) is not None:
        return done
    initial = {
        key: request.GET.get(key) for key in ("campaign", "influencer") if request.GET.get(key)
    }
    form = PartnershipCreateForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                partnership = services.partnership_create(
                    campaign=form.cleaned_data["campaign"],
                    influencer=form.cleaned_data["influencer"],
                    owner=form.cleaned_data["owner"],
                    by=request.user,
                )
                done.url = partnership.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Partnership created. Set out the terms, then propose them.")
            )
            return redirect(partnership)
    return render(request, "partnerships/partnership_form.html", {"form": form})


@marketer_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk)
    # Loaded once: the cost and the lists below read the same rows.
    prefetch_related_objects([partnership], "shipments", "payments")
    state = selectors.terms_state(partnership)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "state": state,
            "terms_editable": partnership.status in EDITABLE_STATUSES,
            "cost": costs.partnership_cost(partnership, state.costed),
            "shipments": partnership.shipments.all(),
            "payments": partnership.payments.all(),
            "transition_form": TransitionForm(partnership=partnership),
            "renew_form": RenewForm(partnership=partnership),
            "renewals": partnership.renewals.select_related("campaign"),
        },
    )


@editor_required
@require_POST
def partnership_transition(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    form = TransitionForm(request.POST, partnership=partnership)
    if not form.is_valid():
        messages.error(request, _("That status change is not possible from here."))
        return redirect(partnership)
    if form.needs_confirmation():  # a closing move: ask once more, with a reason
        context = {"partnership": partnership, "form": form, "to": form.cleaned_data["status"]}
        return render(request, "partnerships/partnership_confirm_status.html", context)
    try:
        partnership = services.partnership_transition(
            partnership=partnership,
            to_status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("Now %(status)s.") % {"status": partnership.get_status_display().lower()}
        )
    return redirect(partnership)


@editor_required
@require_POST
def partnership_invite(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    try:
        invitation = services.partnership_invite(partnership=partnership, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Invitation on its way to %(email)s, together with the terms waiting for them.")
            % {"email": invitation.user.email},
        )
    return redirect(partnership)


@editor_required
@require_POST
def partnership_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    try:
        reopened = services.partnership_reopen(partnership=partnership, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(partnership)
    messages.success(request, _("Reopened as a new draft. Check the terms, then propose them."))
    return redirect(reopened)


@editor_required
@require_POST
def partnership_renew(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    form = RenewForm(request.POST, partnership=partnership)
    if not form.is_valid():
        messages.error(request, _("Choose a campaign this influencer is not in yet."))
        return redirect(partnership)
    try:
        with transaction.atomic():
            renewal = services.partnership_renew(
                partnership=partnership, campaign=form.cleaned_data["campaign"], by=request.user
            )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(partnership)
    messages.success(
        request, _("Renewed: the terms are carried over as a draft. Adjust them and propose.")
    )
    return redirect(renewal)
