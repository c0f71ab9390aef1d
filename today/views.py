"""The landing page after login: "My day" for marketers, the portal for influencers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import marketer_required

from .my_day import SECTIONS, my_day, my_day_section


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
    return render(request, "today/my_day.html", {"day": my_day(request.user)})
