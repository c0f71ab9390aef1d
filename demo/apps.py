from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trying the app: one scenario across every app, so it sits at the top
    of the layering and imports what it needs from the apps below, through their services."""

    name = "demo"
    verbose_name = _("Demo data")
