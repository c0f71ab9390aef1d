"""Demo data for trying the app: `python manage.py seed_demo` (safe to run again).

One module per app below, each writing through that app's services exactly as real use
would; run bottom-up in one transaction so a failure leaves nothing half-seeded.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import (
    accounts,
    campaigns,
    collectors,
    influencers,
    metrics,
    partnerships,
    relationships,
    settlements,
    shop,
)

# Bottom-up, in the order of the layering: users before the influencers that point at them.
STEPS = [
    accounts,
    influencers,
    campaigns,
    partnerships,
    relationships,
    metrics,
    shop,
    # After the shop: the frozen demo settlement's commission counts the shop's sales.
    settlements,
    collectors,
]


class Command(BaseCommand):
    help = "Create demo users and data (idempotent). Password for all logins: partnerships-demo"

    def handle(self, *args, **options):
        with transaction.atomic():
            for step in STEPS:
                step.seed_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
