"""The influencer portal: an influencer sees only their own partnerships."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import influencer_required


@influencer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
