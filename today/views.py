"""The landing page after login: "My day" for marketers, the portal for influencers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import marketer_required
from collectors.creators.selectors import marketer_attention as creator_attention
from collectors.selectors import connections_needing_attention
from metrics.posts.disclosure import posts_missing_disclosure
from partnerships.models import Partnership

from .my_day import SECTION_LIMIT, SECTIONS, my_day, my_day_section

DISCLOSURE_STATUSES = (
    Partnership.Status.ACCEPTED,
    Partnership.Status.ACTIVE,
    Partnership.Status.COMPLETED,
)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_influencer:
        return redirect("portal:home")
    return dashboard(request)


@marketer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section", "")
    if section in SECTIONS and request.user.can_edit:
        day, page = my_day_section(request.user, section, request.GET.get("page", 1))
        context = {"day": day, "section": section, "page_obj": page}
        return render(
            request, "today/my_day.html", {**context, "section_query": f"section={section}"}
        )
    # Data sources this user owns that wait on them (new credentials) or keep failing;
    # creators' own connections that lapsed or lapse soon; posts missing their disclosure.
    data_sources, creator_grants, disclosures = [], [], []
    if request.user.can_edit:
        data_sources = list(connections_needing_attention(request.user)[:SECTION_LIMIT])
        creator_grants = list(creator_attention(request.user)[:SECTION_LIMIT])
        disclosures = posts_missing_disclosure(
            Partnership.objects.filter(owner=request.user, status__in=DISCLOSURE_STATUSES)
        )[:SECTION_LIMIT]
    return render(
        request,
        "today/my_day.html",
        {
            "day": my_day(request.user),
            "data_sources": data_sources,
            "creator_grants": creator_grants,
            "disclosures": disclosures,
        },
    )
