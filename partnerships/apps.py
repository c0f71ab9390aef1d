from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Register the notification tasks in every process, the worker included.
        from . import digest, notifications  # noqa: F401
