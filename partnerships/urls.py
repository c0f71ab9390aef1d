from django.urls import path

from . import views
from .delivery import views as delivery_views
from .relationships import views as relationship_views
from .terms import views as terms_views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/status/", views.partnership_transition, name="transition"),
    path("<int:pk>/renew/", views.partnership_renew, name="renew"),
    path("<int:pk>/reopen/", views.partnership_reopen, name="reopen"),
    path("<int:pk>/invite/", views.partnership_invite, name="invite"),
    # Terms (terms)
    path("<int:pk>/terms/edit/", terms_views.terms_edit, name="terms_edit"),
    path("<int:pk>/terms/propose/", terms_views.terms_propose, name="terms_propose"),
    path("<int:pk>/terms/v<int:number>/", terms_views.terms_document, name="terms_document"),
    path("<int:pk>/terms/v<int:number>.pdf", terms_views.terms_pdf, name="terms_pdf"),
    path("<int:pk>/terms/v<int:number>/changes/", terms_views.terms_diff, name="terms_diff"),
    # Shipments, payments and reviews of handed-in posts (delivery)
    path("<int:pk>/shipments/add/", delivery_views.shipment_add, name="shipment_add"),
    path(
        "<int:pk>/shipments/<int:shipment_pk>/edit/",
        delivery_views.shipment_edit,
        name="shipment_edit",
    ),
    path("<int:pk>/payments/add/", delivery_views.payment_add, name="payment_add"),
    path(
        "<int:pk>/submissions/<int:submission_pk>/review/",
        delivery_views.review,
        name="submission_review",
    ),
    # Relationship log (relationships)
    path(
        "influencers/<int:pk>/contacts/",
        relationship_views.contact_create,
        name="contact_create",
    ),
    path(
        "influencers/<int:pk>/follow-ups/",
        relationship_views.follow_up_create,
        name="follow_up_create",
    ),
    path("influencers/<int:pk>/timeline/", relationship_views.timeline, name="timeline"),
    path(
        "follow-ups/<int:follow_up_pk>/done/",
        relationship_views.follow_up_done,
        name="follow_up_done",
    ),
]
