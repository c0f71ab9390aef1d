from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import submit_once
from accounts.access import editor_required, marketer_required

from . import selectors, services
from .filters import CampaignFilter
from .forms import CampaignForm, DefaultTermsForm

PAGE_SIZE = 25


@marketer_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    filterset = CampaignFilter(request.GET or None, queryset=selectors.campaign_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"form": filterset.form, "page": page, "query": query.urlencode()},
    )


@editor_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if (done := submit_once.replay(request)) is not None:
        return done
    form = CampaignForm(request.POST or None, initial={"owner": request.user})
    terms_form = DefaultTermsForm(request.POST or None)
    if request.method == "POST" and all([form.is_valid(), terms_form.is_valid()]):
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                campaign = services.campaign_create(
                    by=request.user,
                    default_terms=terms_form.terms_values(),
                    **form.campaign_fields(),
                )
                done.url = campaign.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Created %(name)s.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "terms_form": terms_form})


@marketer_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_user(request.user, pk)
    return render(request, "campaigns/campaign_detail.html", {"campaign": campaign})


@editor_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_user(request.user, pk, write=True)
    saved_name = campaign.name  # the form writes posted values onto the instance
    form = CampaignForm(request.POST or None, instance=campaign)
    terms_form = DefaultTermsForm(request.POST or None, instance=campaign.terms_or_defaults())
    if request.method == "POST" and all([form.is_valid(), terms_form.is_valid()]):
        try:
            services.campaign_update(
                campaign=campaign,
                by=request.user,
                default_terms=terms_form.terms_values(),
                **form.campaign_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(campaign)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "terms_form": terms_form, "campaign": campaign, "saved_name": saved_name},
    )
