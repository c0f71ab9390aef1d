from django.urls import path

from .links import views as link_views
from .manual import views as manual_views
from .posts import views as post_views

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
]
