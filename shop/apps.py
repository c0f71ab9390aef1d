from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Shop sales")

    def ready(self) -> None:
        from common.crypto import register_rotator

        from .services import secrets_rotate

        register_rotator("shop webhook secrets", secrets_rotate)
