"""Production settings plus one bare view to compare every page with (benchmarks only)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "support.urls"
