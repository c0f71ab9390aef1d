from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluencersConfig(AppConfig):
    name = "influencers"
    verbose_name = _("Influencers")
