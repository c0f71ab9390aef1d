from django.contrib import admin
from django.urls import include, path, register_converter

from metrics.links.views import LinkCodeConverter, follow
from today.views import home

from . import views

register_converter(LinkCodeConverter, "link_code")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("influencers/", include("influencers.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("", include("metrics.results.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("portal/", include("portal.urls")),
    path("links/", include("metrics.urls")),
    path("data-sources/", include("collectors.urls")),
    path("shop/", include("shop.urls")),
    # Tracked links: only well-formed codes reach the view; anything else is a 404.
    path("r/<link_code:code>", follow, name="tracked_link_redirect"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
