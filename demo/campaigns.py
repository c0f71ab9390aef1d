"""Demo campaigns for three Malaysian brands, in every status.

Written through the campaign service and keyed on `utm_campaign`: a second run
creates nothing. Dates are set relative to the first run, so there is always
something ended, something live and something being planned.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from campaigns import services
from campaigns.models import Campaign

OWNER_EMAIL = "marketer@example.com"
DISCLOSURE = "#ad #iklan"


@dataclass(frozen=True)
class DemoCampaign:
    utm_campaign: str
    name: str
    brand: str
    status: str
    starts_in_days: int  # from the day of the first seed; negative is in the past
    weeks: int
    budget: str
    goal: str
    key_message: str
    landing_page_url: str
    must_haves: list[str]
    creative_notes: str
    usage_days: int = 90
    exclusivity_categories: str = ""
    exclusivity_days: int = 0


# fmt: off
CAMPAIGNS = [
    DemoCampaign(
        "kopikita_sahur_brew", "Sahur Brew for Ramadan", "Kopi Kita", Campaign.Status.ENDED,
        -330, 8, "25000.00",
        "Make Kopi Kita 3-in-1 the drink people reach for at sahur; 4,000 visits to the "
        "Ramadan bundle page and 600 bundles sold.",
        "A proper cup of kopi in 30 seconds, so sahur stays calm.",
        "https://kopikita.example.com/ramadan",
        ["Show the Ramadan bundle box on screen", "Mention the 30-second brew",
         "Link to the Ramadan bundle page", DISCLOSURE],
        "Real sahur moments work best: half-asleep family, the kettle, the first sip. "
        "No need for a studio look.",
    ),
    DemoCampaign(
        "batikbaru_raya_sedondon", "Raya Sedondon Collection", "Batik Baru", Campaign.Status.ENDED,
        -300, 7, "60000.00",
        "Sell out the matching family sets (sedondon) before Raya; 2,500 visits to the "
        "collection and 300 orders.",
        "Hand-drawn batik that the whole family can wear on the first day of Raya.",
        "https://batikbaru.example.com/raya",
        ["Wear the set in at least one outdoor shot", "Name the motif (Bunga Raya or Pucuk Rebung)",
         "Link to the Raya collection", DISCLOSURE],
        "Family, balik kampung, open house. Styling is yours; we love seeing how you pair it.",
        usage_days=180, exclusivity_categories="batik and baju kurung brands",
        exclusivity_days=30,
    ),
    DemoCampaign(
        "kopikita_cold_brew_launch", "Cold Brew Launch", "Kopi Kita", Campaign.Status.LIVE,
        -40, 13, "35000.00",
        "Launch the ready-to-drink cold brew can: 5,000 visits to the launch page, 800 "
        "first orders with influencer codes.",
        "Kopi Kita Cold Brew: smooth, less sweet, ready when you are.",
        "https://kopikita.example.com/cold-brew",
        ["Show the can cold, straight from the fridge", "Say it is less sweet than kopi ais",
         "Use your discount code", DISCLOSURE],
        "Hot-afternoon moments: the commute, the office pantry, after futsal. Recipes "
        "(affogato, cold brew tonic) are very welcome.",
        exclusivity_categories="coffee and ready-to-drink coffee", exclusivity_days=45,
    ),
    DemoCampaign(
        "sihatbox_back_to_office", "Back-to-Office Snack Box", "SihatBox", Campaign.Status.LIVE,
        -20, 13, "18000.00",
        "Sign up 400 office workers to the monthly snack box; 3,000 visits to the "
        "subscription page.",
        "Healthy Malaysian snacks at your desk every month, under RM 2 a snack.",
        "https://sihatbox.example.com/office",
        ["Unbox on camera", "Mention no added sugar", "Link to the subscription page",
         DISCLOSURE],
        "Your real desk, your real 3 pm slump. Honest taste reactions beat scripts.",
        usage_days=60,
    ),
    DemoCampaign(
        "batikbaru_merdeka_heritage", "Merdeka Heritage Prints", "Batik Baru",
        Campaign.Status.PLANNING, 35, 9, "40000.00",
        "Introduce the heritage print range to a younger audience: 3,500 visits and 250 "
        "orders in the Merdeka month.",
        "Heritage motifs, cut for everyday wear.",
        "https://batikbaru.example.com/merdeka",
        ["Show the print up close", "Tell the story of one motif", "Link to the collection",
         DISCLOSURE],
        "Street style, office wear, campus. Tag the artisan studio if you visit.",
        usage_days=180,
    ),
    DemoCampaign(
        "sihatbox_year_end_hampers", "Year-End Healthy Hampers", "SihatBox",
        Campaign.Status.PLANNING, 60, 8, "8000.00",
        "Sell 150 corporate and family hampers for the year-end holidays.",
        "A hamper people actually finish: healthy, local, beautifully packed.",
        "https://sihatbox.example.com/hampers",
        ["Show the hamper opened", "Mention corporate orders", "Link to the hamper page",
         DISCLOSURE],
        "Gifting moments: office parties, family visits, thank-you notes.",
        usage_days=30,
    ),
]
# fmt: on


def default_terms(entry: DemoCampaign) -> dict:
    return {
        "brief_must_haves": entry.must_haves,
        "creative_notes": entry.creative_notes,
        "content_approval_required": False,
        "usage_channels": f"{entry.brand} Instagram, Facebook and website",
        "usage_days": entry.usage_days,
        "paid_amplification": entry.usage_days >= 90,
        "exclusivity_categories": entry.exclusivity_categories,
        "exclusivity_days": entry.exclusivity_days,
        "disclosure_rule": DISCLOSURE,
        "payment_net_days": 30,
        "cancellation_terms": (
            "Either side may cancel in writing before the first post goes live; work "
            "already delivered is paid pro rata."
        ),
    }


def seed_demo(stdout) -> None:
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    today = timezone.localdate()
    existing = set(
        Campaign.objects.filter(utm_campaign__in=[c.utm_campaign for c in CAMPAIGNS]).values_list(
            "utm_campaign", flat=True
        )
    )
    created = 0
    for entry in CAMPAIGNS:
        if entry.utm_campaign in existing:
            continue
        starts_on = today + timedelta(days=entry.starts_in_days)
        services.campaign_create(
            by=owner,
            owner=owner,
            name=entry.name,
            brand=entry.brand,
            goal=entry.goal,
            key_message=entry.key_message,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=entry.weeks),
            budget=Decimal(entry.budget),
            currency="MYR",
            landing_page_url=entry.landing_page_url,
            utm_campaign=entry.utm_campaign,
            status=entry.status,
            default_terms=default_terms(entry),
        )
        created += 1
    stdout.write(f"  campaigns: created {created}, {len(CAMPAIGNS) - created} already there")
