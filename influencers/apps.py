from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluencersConfig(AppConfig):
    name = "influencers"
    verbose_name = _("Influencers")

    def seed_demo(self, stdout) -> None:
        """This app's part of `manage.py seed_demo` (called in INSTALLED_APPS order)."""
        from .demo import seed_demo

        seed_demo(stdout)
