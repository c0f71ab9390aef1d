from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodayConfig(AppConfig):
    """My day and the daily digest: composes what the apps below offer."""

    name = "today"
    verbose_name = _("My day")
