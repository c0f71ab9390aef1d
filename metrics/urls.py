from django.urls import path

from .links import views as link_views
from .manual import views as manual_views
from .posts import views as post_views
from .settlements import views as settlement_views

app_name = "metrics"

urlpatterns = [
    path("partnerships/<int:pk>/new/", link_views.link_add, name="link_add"),
    path("<int:pk>/disable/", link_views.link_disable, name="link_disable"),
    path("partnerships/<int:pk>/posts/new/", post_views.post_add, name="post_add"),
    path("posts/<int:pk>/remove/", post_views.post_remove, name="post_remove"),
    path("partnerships/<int:pk>/numbers/new/", manual_views.metric_add, name="metric_add"),
    path(
        "campaigns/<int:pk>/numbers/upload/",
        manual_views.metric_csv_upload,
        name="metric_csv_upload",
    ),
    path(
        "campaigns/<int:pk>/numbers/template.csv",
        manual_views.metric_csv_template,
        name="metric_csv_template",
    ),
    path(
        "partnerships/<int:pk>/settlement/freeze/",
        settlement_views.settlement_freeze,
        name="settlement_freeze",
    ),
    path("settlements/", settlement_views.settlement_list, name="settlement_list"),
    path("settlements.csv", settlement_views.settlements_csv, name="settlements_csv"),
]
