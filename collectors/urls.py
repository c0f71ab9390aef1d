from django.urls import path

from . import views

app_name = "collectors"

urlpatterns = [
    path("", views.connection_list, name="list"),
    path("new/", views.connection_create, name="create"),
    path("<int:pk>/edit/", views.connection_edit, name="edit"),
    path("<int:pk>/pull/", views.connection_pull_now, name="pull_now"),
    path("<int:pk>/pause/", views.connection_pause, name="pause"),
    path("<int:pk>/resume/", views.connection_resume, name="resume"),
    path("pull/partnership/<int:pk>/", views.partnership_pull_now, name="partnership_pull"),
    path("pull/campaign/<int:pk>/", views.campaign_pull_now, name="campaign_pull"),
]
