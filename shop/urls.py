from django.urls import path

from .imports import views as import_views
from .webhooks import views as webhook_views

app_name = "shop"

urlpatterns = [
    path(
        "webhooks/<str:provider>/<str:token>/",
        webhook_views.receive,
        name="webhook",
    ),
    path("connections/", import_views.connections, name="connections"),
    path("connections/<int:pk>/import/", import_views.orders_import, name="import"),
]
