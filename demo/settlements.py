"""Demo settlements: the first completed partnership's payout is frozen by the demo
marketer; the other completed ones are left to freeze by hand. A second run finds a
settlement and creates nothing."""

from accounts.models import User
from metrics.models import Settlement
from metrics.settlements.services import settlement_freeze
from partnerships.models import Partnership

OWNER_EMAIL = "marketer@example.com"


def seed_demo(stdout) -> None:
    completed = Partnership.objects.filter(status=Partnership.Status.COMPLETED).order_by("pk")
    if Settlement.objects.exists() or not completed.exists():
        stdout.write("  settlements: nothing to freeze")
        return
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    settlement = settlement_freeze(partnership=completed.first(), by=owner)
    stdout.write(f"  settlements: froze {settlement.reference} for {settlement.payee}")
