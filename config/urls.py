from django.contrib import admin
from django.urls import include, path

from today.views import home

from . import views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("influencers/", include("influencers.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("portal/", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
