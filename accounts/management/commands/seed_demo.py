"""Demo data for trying the app: `python manage.py seed_demo` (safe to run again).

Each app contributes its part through a `seed_demo(stdout)` function in its
`demo.py`; this command runs them bottom-up in one transaction so a failure
leaves nothing half-seeded.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

SEED_MODULES = [
    "accounts.demo",
    "influencers.demo",
    "campaigns.demo",
    "partnerships.demo",
    "partnerships.relationship_demo",
]


class Command(BaseCommand):
    help = "Create demo users and data (idempotent). Password for all logins: partnerships-demo"

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in SEED_MODULES:
                import_module(dotted).seed_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
