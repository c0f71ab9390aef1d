from django.urls import path

from . import accounts, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<int:pk>/", views.partnership, name="partnership"),
    path("partnerships/<int:pk>/links/", views.links, name="links"),
    path("partnerships/<int:pk>/terms/v<int:number>/", views.terms, name="terms"),
    path("partnerships/<int:pk>/terms/v<int:number>.pdf", views.terms_pdf, name="terms_pdf"),
    path("partnerships/<int:pk>/accept/", views.accept, name="accept"),
    path("partnerships/<int:pk>/terms/v<int:number>/decline/", views.decline, name="decline"),
    path("partnerships/<int:pk>/ask-for-changes/", views.ask_for_changes, name="ask"),
    path(
        "partnerships/<int:pk>/deliverables/<int:deliverable_pk>/hand-in/",
        views.hand_in,
        name="hand_in",
    ),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/connect/<int:channel_pk>/", accounts.connect, name="account_connect"),
    path("accounts/callback/<slug:slug>/", accounts.callback, name="account_callback"),
    path("accounts/<int:connection_pk>/revoke/", accounts.revoke, name="account_revoke"),
]
