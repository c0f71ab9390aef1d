"""Demo tracked links: every partnership that reached accepted gets one, with two weeks
of clicks behind it (people, and a few link previews), rolled up into metric records.

Keyed on the partnership: one that already has a tracked link is skipped, so a second
run creates nothing. The clicks are drawn from a generator seeded with the partnership's
campaign and influencer, so the history looks the same on every fresh seed.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from metrics.links.clicks import clicks_rollup, visitor_hash
from metrics.links.services import tracked_link_create
from metrics.models import Click
from partnerships.models import Partnership

OWNER_EMAIL = "marketer@example.com"
HISTORY_DAYS = 14
FALLBACK_DESTINATION = "https://example.com/"


def _history(link, today) -> list[Click]:
    rng = random.Random(
        f"{link.partnership.campaign.utm_campaign}/{link.partnership.influencer.email}"
    )
    clicks = []
    for days_ago in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        for _ in range(rng.randint(3, 40)):
            at = datetime.combine(day, time(rng.randint(7, 23), rng.randint(0, 59)))
            kind = Click.Kind.BOT if rng.random() < 0.1 else Click.Kind.HUMAN
            visitor = visitor_hash(f"demo-{rng.randint(1, 400)}", "demo", day)
            clicks.append(Click(link=link, at=timezone.make_aware(at), kind=kind, visitor=visitor))
    return clicks


def seed_demo(stdout) -> None:
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    reached_accepted = (
        Partnership.objects.filter(acceptances__isnull=False, tracked_links__isnull=True)
        .select_related("campaign", "influencer")
        .distinct()
        .order_by("pk")
    )
    today = timezone.localdate()
    created, clicks = 0, []
    for partnership in reached_accepted:
        link = tracked_link_create(
            partnership=partnership,
            destination=partnership.campaign.landing_page_url or FALLBACK_DESTINATION,
            label="Link in bio",
            by=owner,
        )
        clicks += _history(link, today)
        created += 1
    if clicks:
        Click.objects.bulk_create(clicks)
        clicks_rollup(since=min(click.at for click in clicks))
    stdout.write(f"  tracked links: created {created} with {len(clicks)} clicks of history")
