"""Demo data for trying the app: `python manage.py seed_demo` (safe to run again).

Each installed app that has demo data contributes it through a `seed_demo(stdout)`
method on its AppConfig; this command calls them in INSTALLED_APPS order (the layering
is bottom-up, so users exist before the influencers that point at them) in one
transaction, so a failure leaves nothing half-seeded. It names no app above accounts.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo users and data (idempotent). Password for all logins: partnerships-demo"

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in apps.get_app_configs():
                seed = getattr(config, "seed_demo", None)
                if callable(seed):
                    seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
