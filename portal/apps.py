from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The influencer's pages: composes what the apps below offer for their own work."""

    name = "portal"
    verbose_name = _("Influencer portal")
