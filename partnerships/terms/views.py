"""Terms: editing a draft, proposing it, the terms document (page and PDF) and the
differences between two versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import editor_required, marketer_required
from common.http import int_or_zero

from .. import selectors
from . import content as terms
from . import document, services
from .forms import TermsEditor


def _seen(request: HttpRequest, state: selectors.TermsState) -> dict:
    """What the edit page showed, posted back so that a change made meanwhile (a new
    version, an acceptance) is reported instead of silently built upon."""
    if request.method != "POST":
        latest = state.latest
        return {
            "based_on": latest.number,
            "seen_accepted": state.in_force == latest,
            # A draft can change under the same number: its content's digest tells.
            "seen_digest": terms.version_digest(latest) if latest.is_draft else None,
        }
    accepted = {"1": True, "0": False}.get(request.POST.get("seen_accepted", ""))
    return {
        "based_on": int_or_zero(request.POST.get("based_on")),
        "seen_accepted": accepted,
        "seen_digest": request.POST.get("seen_digest") or None,
    }


@editor_required
def terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    state = selectors.terms_state(partnership)
    shown = state.latest  # the draft, if there is one
    if shown is None:
        raise Http404
    editor = TermsEditor(partnership, data=request.POST or None, version=shown)
    seen = _seen(request, state)
    if request.method == "POST" and editor.is_valid():
        try:
            # One transaction: a failed save must not leave behind an empty copied draft.
            with transaction.atomic():
                draft = services.terms_open_draft(partnership=partnership, by=request.user, **seen)
                services.terms_save(version=draft, by=request.user, data=editor.terms_input())
        except ValidationError as exc:  # TermsError included
            editor.add_error(exc)
        else:
            if editor.must_haves_warning:
                messages.warning(request, editor.must_haves_warning)
            messages.success(
                request,
                _("Saved as draft version %(n)s. Propose it when ready.") % {"n": draft.number},
            )
            return redirect("partnerships:detail", pk=partnership.pk)
    context = {
        "partnership": partnership,
        "shown": shown,
        "editor": editor,
        "seen": seen,
        "editable": partnership.status in services.EDITABLE_STATUSES,
    }
    return render(request, "partnerships/terms_edit.html", context)


@editor_required
@require_POST
def terms_propose(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for_user(request.user, pk, write=True)
    draft = selectors.terms_state(partnership).draft
    seen = int_or_zero(request.POST.get("number"))  # optional: the number the button showed
    try:
        if draft is None:
            raise services.TermsError(_("There is no draft to propose."), code="no_draft")
        if seen and seen != draft.number:
            raise services.TermsError(
                _("The draft is now version %(n)s. Check it before proposing.")
                % {"n": draft.number},
                code="stale",
            )
        version = services.terms_propose(version=draft, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        user = partnership.influencer.user
        if user is not None and user.is_active:
            messages.success(
                request,
                _("Version %(n)s proposed to %(influencer)s. They have been emailed.")
                % {"n": version.number, "influencer": partnership.influencer.name},
            )
        else:
            messages.warning(
                request,
                _(
                    "Version %(n)s is proposed, but nobody can see it yet: %(influencer)s "
                    "has no portal access. Invite them to send it with the invitation."
                )
                % {"n": version.number, "influencer": partnership.influencer.name},
            )
    return redirect("partnerships:detail", pk=partnership.pk)


@marketer_required
@require_GET
def terms_document(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_user(request.user, pk, number)
    context = document.terms_document_context(version)
    return render(request, "partnerships/terms_document.html", context)


@marketer_required
@require_GET
def terms_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_user(request.user, pk, number)
    return document.pdf_response(request, version)


@marketer_required
@require_GET
def terms_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_user(request.user, pk, number)
    previous = selectors.version_for_user(request.user, pk, number - 1) if number > 1 else None
    context = {
        "version": version,
        "previous": previous,
        "partnership": version.partnership,
        "changes": terms.diff(previous, version) if previous else [],
    }
    return render(request, "partnerships/terms_diff.html", context)
