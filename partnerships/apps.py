from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def seed_demo(self, stdout) -> None:
        """This app's part of `manage.py seed_demo` (called in INSTALLED_APPS order)."""
        from .demo import seed_demo
        from .relationships.demo import seed_demo as seed_relationships_demo

        seed_demo(stdout)
        seed_relationships_demo(stdout)
