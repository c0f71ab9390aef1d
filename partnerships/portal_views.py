"""The influencer portal: an influencer sees only their own partnerships."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import influencer_required


@influencer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@influencer_required
def partnership(request, pk):
    raise NotImplementedError


@influencer_required
def terms(request, pk, number):
    raise NotImplementedError


@influencer_required
def terms_pdf(request, pk, number):
    raise NotImplementedError


@influencer_required
def accept(request, pk):
    raise NotImplementedError


@influencer_required
def ask_for_changes(request, pk):
    raise NotImplementedError
