"""Demo data sources: the demo's channels and live campaigns pulled from the fake
provider server (`manage.py fake_providers`, which `make run` starts), so a newcomer
sees numbers arrive on schedule with no internet and no real API key.

Only when `DEMO_FAKE_PROVIDERS_URL` is set (it is by default; set it empty to seed no
sources). Keyed on the name: a source that already exists is left alone, so a second
run creates nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import User
from campaigns.models import Campaign
from collectors.models import Connection, Provider
from collectors.services import connection_create
from influencers.models import Channel

OWNER_EMAIL = "marketer@example.com"
DEMO_CREDENTIAL = "demo-key-for-the-fake-providers"
# The brand's own Instagram professional account (Business Discovery asks through it).
DEMO_IG_ACCOUNT = "17841400000000001"


def _wanted(base: str) -> list[dict]:
    """(name -> fields) of every source the demo wants: one per demo channel with
    published posts on YouTube or Instagram, and one Plausible site per live campaign."""
    wanted = []
    channels = (
        Channel.objects.filter(
            platform__in=[Provider.YOUTUBE, Provider.INSTAGRAM], posts__isnull=False
        )
        .distinct()
        .order_by("pk")
    )
    for channel in channels:
        if channel.platform == Provider.YOUTUBE:
            wanted.append({
                "name": f"Demo YouTube: {channel.handle}", "provider": Provider.YOUTUBE,
                "channel": channel, "base_url": f"{base}/youtube/v3",
            })  # fmt: skip
        else:
            wanted.append({
                "name": f"Demo Instagram: {channel.handle}", "provider": Provider.INSTAGRAM,
                "channel": channel, "account_id": DEMO_IG_ACCOUNT, "base_url": base,
            })  # fmt: skip
    for campaign in Campaign.objects.filter(status=Campaign.Status.LIVE).order_by("pk"):
        site = urlsplit(campaign.landing_page_url).hostname or "shop.example"
        wanted.append({
            "name": f"Demo Plausible: {campaign.utm_campaign}"[:100],
            "provider": Provider.PLAUSIBLE, "site_id": site, "campaign": campaign,
            "base_url": base,
        })  # fmt: skip
    return wanted


def seed_demo(stdout) -> None:
    base = (getattr(settings, "DEMO_FAKE_PROVIDERS_URL", "") or "").rstrip("/")
    if not base:
        stdout.write("  data sources: none (DEMO_FAKE_PROVIDERS_URL is empty)")
        return
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    existing = set(Connection.objects.values_list("name", flat=True))
    created = 0
    for fields in _wanted(base):
        if fields["name"] in existing:
            continue
        connection_create(by=owner, credential=DEMO_CREDENTIAL, **fields)
        created += 1
    stdout.write(f"  data sources: created {created} pulling from the fake providers at {base}")
