"""Mounted at the root (config/urls.py), so the pages sit beside what they are about."""

from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("campaigns/<int:pk>/results/", views.campaign_results, name="campaign"),
    path("campaigns/<int:pk>/results.csv", views.campaign_results_csv, name="campaign_csv"),
    path("influencers/<int:pk>/track-record.csv", views.track_record_csv, name="track_record_csv"),
]
