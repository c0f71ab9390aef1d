"""Demo numbers: every partnership that reached accepted gets a tracked link with two
weeks of clicks behind it (people, and a few link previews) rolled up into metric
records; published posts, one per deliverable piece due, with two weeks of growing
likes, comments, views and engagements as a platform reports them; and two weeks of
sessions and users from the brand's analytics and conversions from the shop.

Keyed on the partnership: one that already has a tracked link (or posts) is skipped, so
a second run creates nothing. Everything is drawn from a generator seeded with the
partnership's campaign and influencer, so the history looks the same on every fresh seed.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from metrics.links.clicks import clicks_rollup, visitor_hash
from metrics.links.services import tracked_link_create
from metrics.models import Click, Metric, Source
from metrics.posts.services import post_add
from metrics.services import Row, records_upsert
from partnerships.models import Acceptance, Partnership

OWNER_EMAIL = "marketer@example.com"
HISTORY_DAYS = 14
FALLBACK_DESTINATION = "https://example.com/"


def history_end(campaign, today):
    """The day a partnership's history runs up to (exclusive): today while its campaign
    runs, else the day after the campaign ended, so the results chart has its days."""
    return min(today, campaign.ends_on + timedelta(days=1))


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
        clicks += _history(link, history_end(partnership.campaign, today))
        created += 1
    if clicks:
        Click.objects.bulk_create(clicks)
        clicks_rollup(since=min(click.at for click in clicks))
    stdout.write(f"  tracked links: created {created} with {len(clicks)} clicks of history")
    _seed_posts_and_traffic(owner, today, stdout)


POST_URLS = {
    "instagram": "https://www.instagram.com/p/{code}/",
    "tiktok": "https://www.tiktok.com/@{handle}/video/{number}",
    "youtube": "https://www.youtube.com/watch?v={code11}",
    "x": "https://x.com/{handle}/status/{number}",
    "facebook": "https://www.facebook.com/{handle}/posts/{number}",
}


def _post_url(channel, rng: random.Random) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    pattern = POST_URLS.get(channel.platform, "https://{handle}/demo-post-{number}/")
    return pattern.format(
        code="".join(rng.choice(letters) for _ in range(11)),
        code11="".join(rng.choice(letters) for _ in range(11)),
        handle=channel.handle.strip("/"),
        number=rng.randint(10**18, 10**19 - 1),
    )


def _seed_posts_and_traffic(owner: User, today, stdout) -> None:
    in_force = (
        Acceptance.objects.filter(partnership__posts__isnull=True)
        .select_related("partnership__campaign", "partnership__influencer")
        .prefetch_related("version__deliverables__channel")
        .order_by("partnership_id", "-version__number")
        .distinct("partnership_id")
    )
    rows, posts = [], 0
    for acceptance in in_force:
        partnership = acceptance.partnership
        end = history_end(partnership.campaign, today)
        rng = random.Random(
            f"posts/{partnership.campaign.utm_campaign}/{partnership.influencer.email}"
        )
        for deliverable in acceptance.version.deliverables.all():
            for piece in range(deliverable.quantity):
                published = end - timedelta(days=max(HISTORY_DAYS - piece * 3, 1))
                post = post_add(
                    partnership=partnership,
                    url=_post_url(deliverable.channel, rng),
                    channel=deliverable.channel,
                    published_on=published,
                    by=owner,
                )
                posts += 1
                rows += _post_history(post, deliverable.channel.platform, published, end, rng)
        rows += _traffic_history(partnership.pk, end, rng)
    records_upsert(rows)
    stdout.write(f"  published posts: created {posts}; {len(rows)} metric records of history")


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _post_history(post, platform: str, published, end, rng: random.Random) -> list[Row]:
    """A platform's running totals, one day bucket per day since publishing."""
    source = platform if platform in ("instagram", "tiktok", "youtube") else Source.MANUAL
    reach = rng.randint(800, 6000)
    rows, likes, comments, views = [], 0, 0, 0
    for days in range(max((end - published).days, 0)):
        growth = 1 / (days + 1)  # most of a post's life is in its first days
        views += int(reach * growth * rng.uniform(0.6, 1.2))
        likes += int(views * growth * rng.uniform(0.03, 0.08))
        comments += int(likes * growth * rng.uniform(0.02, 0.06))
        at = _midnight(published + timedelta(days=days))
        for metric, value in (
            (Metric.VIEWS, views),
            (Metric.LIKES, likes),
            (Metric.COMMENTS, comments),
            (Metric.ENGAGEMENTS, likes + comments),
        ):
            rows.append(Row(metric=metric, at=at, value=value, source=source, post=post.pk))
    return rows


def _traffic_history(partnership_id: int, end, rng: random.Random) -> list[Row]:
    """The brand's analytics (sessions, users) and the shop (conversions) per day."""
    rows = []
    for days_ago in range(HISTORY_DAYS, 0, -1):
        at = _midnight(end - timedelta(days=days_ago))
        sessions = rng.randint(2, 35)
        conversions = sum(rng.random() < 0.04 for _ in range(sessions))
        for metric, value, source in (
            (Metric.SESSIONS, sessions, "plausible"),
            (Metric.USERS, max(1, int(sessions * rng.uniform(0.7, 0.95))), "plausible"),
            (Metric.CONVERSIONS, conversions, Source.SHOP),
        ):
            rows.append(
                Row(metric=metric, at=at, value=value, source=source, partnership=partnership_id)
            )
    return rows
