from django.urls import path

from . import views
from .spreadsheet import views as spreadsheet_views

app_name = "influencers"

urlpatterns = [
    path("", views.influencer_list, name="list"),
    path("board/", views.influencer_board, name="board"),
    path("new/", views.influencer_create, name="create"),
    path("pick/", views.influencer_pick, name="pick"),
    path("import/", spreadsheet_views.import_upload, name="import"),
    path("import/confirm/", spreadsheet_views.import_confirm, name="import_confirm"),
    path("import/template.csv", spreadsheet_views.import_template, name="import_template"),
    path("export.csv", spreadsheet_views.export, name="export"),
    path("<int:pk>/", views.influencer_detail, name="detail"),
    path("<int:pk>/edit/", views.influencer_edit, name="edit"),
    path("<int:pk>/stage/", views.influencer_move, name="move"),
    path("<int:pk>/invite/", views.influencer_invite_view, name="invite"),
    path("<int:pk>/research/", views.research_edit, name="research"),
    path("<int:pk>/channels/add/", views.channel_add, name="channel_add"),
    path("<int:pk>/channels/<int:channel_pk>/edit/", views.channel_edit, name="channel_edit"),
    path("<int:pk>/channels/<int:channel_pk>/delete/", views.channel_delete, name="channel_delete"),
]
