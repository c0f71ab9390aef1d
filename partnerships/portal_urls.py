from django.urls import path

from . import portal_views, submission_views

app_name = "portal"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("partnerships/<int:pk>/", portal_views.partnership, name="partnership"),
    path("partnerships/<int:pk>/terms/v<int:number>/", portal_views.terms, name="terms"),
    path("partnerships/<int:pk>/terms/v<int:number>.pdf", portal_views.terms_pdf, name="terms_pdf"),
    path("partnerships/<int:pk>/accept/", portal_views.accept, name="accept"),
    path("partnerships/<int:pk>/ask-for-changes/", portal_views.ask_for_changes, name="ask"),
    path(
        "partnerships/<int:pk>/deliverables/<int:deliverable_pk>/hand-in/",
        submission_views.hand_in,
        name="hand_in",
    ),
]
