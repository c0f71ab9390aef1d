"""The app's URLs plus the baselines every page is measured against: /bench/bare, the
cheapest page Django can serve through the same middleware, and /bench/redirect, a
fixed 302 (the baseline of /r/<code>)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def fixed_redirect(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect("https://kopikita.example/?utm_source=instagram")
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns = [
    path("bench/bare", bare),
    path("bench/redirect", fixed_redirect),
    path("", include("config.urls")),
]
