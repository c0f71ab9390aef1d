from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectorsConfig(AppConfig):
    name = "collectors"
    verbose_name = _("Data sources")

    def ready(self) -> None:
        from common.crypto import register_rotator

        from . import checks  # noqa: F401  (registers the encryption key check)
        from .services import credentials_rotate

        register_rotator("data source credentials", credentials_rotate)
