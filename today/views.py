"""The landing page after login: "My day" for marketers, the portal for influencers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import marketer_required

from .my_day import my_day


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_influencer:
        return redirect("portal:home")
    return dashboard(request)


@marketer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "today/my_day.html", {"day": my_day(request.user)})
