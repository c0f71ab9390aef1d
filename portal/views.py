"""The influencer portal: an influencer sees only their own partnerships.

Every object comes through the `portal_*` selectors of partnerships, scoped to the
logged-in influencer: someone else's id answers 404 exactly like a missing one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import influencer_required
from accounts.client import client_ip
from collectors.creators import selectors as creator_selectors
from common.http import int_or_zero
from metrics.links.selectors import portal_links
from metrics.posts import services as post_services
from partnerships import selectors
from partnerships.delivery.forms import HandInForm
from partnerships.forms import ChangeRequestForm, DeclineForm
from partnerships.terms import document
from partnerships.terms import services as terms_services

from .overview import open_terms_state, portal_overview


@influencer_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "cards": portal_overview(request.user),
            "lapsing": creator_selectors.portal_attention(request.user),
        },
    )


@influencer_required
@require_GET
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.portal_partnership(request.user, pk)
    state = open_terms_state(partnership)
    shown = state.pending or state.in_force
    return render(
        request,
        "portal/partnership.html",
        {
            "partnership": partnership,
            "state": state,
            "in_force": state.in_force,
            "shown": shown,
            **(document.terms_document_context(shown) if shown else {}),
            "earlier": [v for v in state.versions if v.number < getattr(shown, "number", 0)],
            "change_form": ChangeRequestForm(),
            "today": timezone.localdate(),
        },
    )


@influencer_required
@require_GET
def links(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.portal_partnership(request.user, pk)
    base = request.build_absolute_uri("/")[:-1]
    shown = [(link, base + link.get_short_path()) for link in portal_links(partnership)]
    return render(request, "portal/links.html", {"partnership": partnership, "links": shown})


@influencer_required
@require_GET
def terms(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.portal_version(request.user, pk, number)
    context = document.terms_document_context(version)
    return render(request, "portal/terms.html", context)


@influencer_required
@require_GET
def terms_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.portal_version(request.user, pk, number)
    return document.pdf_response(request, version)


def _pending_or_redirect(request: HttpRequest, pk: int, version) -> HttpResponse | None:
    """None if `version` is the one waiting for an answer; else back to the partnership
    page with a word on why (accepted meanwhile, replaced, or the offer is closed)."""
    partnership = selectors.portal_partnership(request.user, pk)
    pending = open_terms_state(partnership).pending
    if pending is not None and pending.pk == version.pk:
        return None
    messages.info(
        request, _("Version %(n)s no longer waits for an answer.") % {"n": version.number}
    )
    return redirect("portal:partnership", pk=pk)


@influencer_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?version=N asks once more, naming the version; POST accepts it."""
    if request.method == "GET":
        version = selectors.portal_version(
            request.user, pk, int_or_zero(request.GET.get("version"))
        )
        if elsewhere := _pending_or_redirect(request, pk, version):
            return elsewhere
        return render(request, "portal/accept_confirm.html", {"version": version})
    number = int_or_zero(request.POST.get("version"))
    version = selectors.portal_version(request.user, pk, number)
    try:
        terms_services.terms_accept(
            version=version,
            by=request.user,
            ip=client_ip(request),  # the same address the login lockout uses
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("You accepted version %(n)s. The brand has been told. Thank you!")
            % {"n": version.number},
        )
    return redirect("portal:partnership", pk=pk)


@influencer_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """GET asks for confirmation and an optional reason; POST declines the offer."""
    version = selectors.portal_version(request.user, pk, number)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            terms_services.terms_decline(
                version=version, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("You declined this offer. The brand has been told. Thank you for reading."),
            )
        return redirect("portal:partnership", pk=pk)
    if elsewhere := _pending_or_redirect(request, pk, version):
        return elsewhere
    return render(request, "portal/decline_confirm.html", {"version": version, "form": form})


@influencer_required
@require_POST
def ask_for_changes(request: HttpRequest, pk: int) -> HttpResponse:
    number = int_or_zero(request.POST.get("version"))
    version = selectors.portal_version(request.user, pk, number)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what you would like changed, then send it."))
        return redirect("portal:partnership", pk=pk)
    try:
        terms_services.terms_request_changes(
            version=version, by=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Sent. The brand will get back to you with new terms."))
    return redirect("portal:partnership", pk=pk)


@influencer_required
@require_POST
def hand_in(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    deliverable = selectors.portal_deliverable(request.user, pk, deliverable_pk)
    form = HandInForm(request.POST)
    if form.is_valid():
        try:
            post_services.post_hand_in(
                deliverable=deliverable,
                piece=form.cleaned_data["piece"],
                post_url=form.cleaned_data["post_url"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    outcome = {
        "deliverable_id": deliverable.pk,
        "piece": _piece(form),
        "form": form,
        "ok": not form.errors,
    }
    if request.headers.get("HX-Request"):
        partnership = selectors.portal_partnership(request.user, pk)
        in_force = selectors.terms_state_of(list(partnership.versions.all())).in_force
        context = {
            "partnership": partnership,
            "in_force": in_force,
            "hand_in": outcome,
            "today": timezone.localdate(),
        }
        return render(request, "portal/_deliverables.html", context)
    if form.errors:
        messages.error(request, " ".join(_messages(form)))
    else:
        messages.success(request, _("Thank you! The brand has been told about your post."))
    return redirect("portal:partnership", pk=pk)


def _piece(form: HandInForm) -> int | None:
    return form.cleaned_data.get("piece") if hasattr(form, "cleaned_data") else None


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]
