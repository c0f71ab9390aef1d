"""Handing in posts (portal) and reviewing them (marketers).

Both answer HTMX requests with their partial re-rendered in place (errors shown next to
the piece), and plain form posts with a message and a redirect to the page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import editor_required, influencer_required

from . import portal_selectors, selectors, submission_services
from .models import Submission
from .submission_forms import HandInForm, ReviewForm


@influencer_required
@require_POST
def hand_in(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    deliverable = portal_selectors.portal_deliverable(request.user, pk, deliverable_pk)
    form = HandInForm(request.POST)
    if form.is_valid():
        try:
            submission_services.submission_hand_in(
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
        partnership = portal_selectors.portal_partnership(request.user, pk)
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


def _piece(form: HandInForm) -> int | None:
    return form.cleaned_data.get("piece") if hasattr(form, "cleaned_data") else None


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]
