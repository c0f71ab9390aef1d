"""The landing page after login: "My day" for marketers, the portal for influencers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import marketer_required
from collectors.selectors import connections_needing_attention

from .my_day import SECTION_LIMIT, SECTIONS, my_day, my_day_section


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
    # Data sources this user owns that wait on them (new credentials) or keep failing.
    data_sources = (
        list(connections_needing_attention(request.user)[:SECTION_LIMIT])
        if request.user.can_edit
        else []
    )
    return render(
        request, "today/my_day.html", {"day": my_day(request.user), "data_sources": data_sources}
    )
