"""Contacts, follow-ups and the timeline of an influencer (marketers only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import submit_once
from accounts.access import editor_required, marketer_required
from influencers.models import Influencer
from influencers.selectors import influencer_for_user

from ..models import FollowUp
from . import services
from .forms import ContactForm, FollowUpForm
from .selectors import influencer_timeline, with_links


def _back(influencer: Influencer) -> str:
    return reverse("influencers:detail", args=[influencer.pk]) + "#contacts"


@editor_required
@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = influencer_for_user(request.user, pk, write=True)
    if (done := submit_once.replay(request, _back(influencer))) is not None:
        return done
    form = ContactForm(request.POST, influencer=influencer)
    if form.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                services.contact_log(influencer=influencer, by=request.user, **form.cleaned_data)
                done.url = _back(influencer)
        except submit_once.AlreadySubmitted as used:
            return used.response(request, _back(influencer))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Contact logged."))
    else:
        errors = [
            f"{form.fields[f].label}: {e}" if f != "__all__" else e
            for f, errs in form.errors.items()
            for e in errs
        ]
        messages.error(request, _("Not logged. %(errors)s") % {"errors": " ".join(errors)})
    return redirect(_back(influencer))


@editor_required
@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = influencer_for_user(request.user, pk, write=True)
    if (done := submit_once.replay(request, _back(influencer))) is not None:
        return done
    form = FollowUpForm(request.POST, influencer=influencer)
    if form.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                services.follow_up_create(
                    influencer=influencer, by=request.user, **form.cleaned_data
                )
                done.url = _back(influencer)
        except submit_once.AlreadySubmitted as used:
            return used.response(request, _back(influencer))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Follow-up added."))
    else:
        messages.error(request, _("Give the follow-up a description, a due date and an assignee."))
    return redirect(_back(influencer))


@editor_required
@require_POST
def follow_up_done(request: HttpRequest, follow_up_pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(
            influencer__in=Influencer.objects.visible_to(request.user)
        ).select_related("influencer", "partnership__campaign"),
        pk=follow_up_pk,
    )
    if request.POST.get("reopen"):
        follow_up = services.follow_up_reopen(follow_up=follow_up)
    else:
        follow_up = services.follow_up_complete(follow_up=follow_up, by=request.user)
    if request.headers.get("HX-Request"):
        # The swapped-in row submits the page's shared form, which keeps pointing back at
        # the page it sits on.
        (follow_up,) = with_links([follow_up])
        return render(request, "partnerships/_follow_up_row.html", {"follow_up": follow_up})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = _back(follow_up.influencer)
    return redirect(next_url)


@marketer_required
@require_GET
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = influencer_for_user(request.user, pk)
    return render(
        request,
        "partnerships/timeline.html",
        {"influencer": influencer, "events": influencer_timeline(influencer)},
    )
