"""How fast is the roster with a big agency's worth of influencers?

Seeds N influencers (default 20,000) with two channels each by bulk insert into a
scratch database, then times the list page (sorted, searched, filtered), the board
and the CSV export through Django's test client. Prints figures; asserts nothing.

    .venv/bin/python scripts/dev.py bench            # all benchmarks
    BENCH_INFLUENCERS=50000 .venv/bin/python benchmarks/influencer_list.py
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.setup import measure, setup_django  # noqa: E402

N = int(os.environ.get("BENCH_INFLUENCERS", "20000"))
NICHES = ["food", "beauty", "travel", "tech", "fitness", "parenting", "gaming", "fashion"]
STAGES = ["prospect", "researched", "pitched", "negotiating", "active", "alumni", "declined"]


def seed() -> None:
    from django.utils import timezone

    from accounts.models import User
    from influencers.models import Channel, Influencer

    owner = User.objects.create_user("bench@example.com", "bench-password", role="admin")
    rng = random.Random(42)
    now = timezone.now()
    start = time.perf_counter()
    influencers = Influencer.objects.bulk_create(
        [
            Influencer(
                name=f"Creator {i:06d}",
                email=f"creator{i}@bench.test",
                country=rng.choice(["Malaysia", "Singapore", "Indonesia"]),
                city="Kuala Lumpur",
                niches=rng.sample(NICHES, 2),
                languages=["Malay", "English"],
                stage=rng.choice(STAGES),
                owner=owner,
                created_at=now,
            )
            for i in range(N)
        ],
        batch_size=5000,
    )
    Channel.objects.bulk_create(
        [
            Channel(
                influencer=influencer,
                platform=platform,
                handle=f"creator{influencer.pk}_{platform}",
                profile_url=f"https://example.com/{influencer.pk}",
                followers=rng.randint(800, 400_000),
                followers_as_of=now.date(),
                is_primary=platform == "instagram",
            )
            for influencer in influencers
            for platform in ("instagram", "tiktok")
        ],
        batch_size=5000,
    )
    elapsed = time.perf_counter() - start
    print(f"seeded {N:,} influencers and {2 * N:,} channels in {elapsed:.1f} s", flush=True)


def main() -> None:
    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment()
    seed()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(email="bench@example.com"))
    measure("list, first page by name", lambda: client.get("/influencers/"))
    measure("list, sorted by most followers", lambda: client.get("/influencers/?sort=-followers"))
    measure("list, page 200", lambda: client.get("/influencers/?page=200"))
    measure("list, search by handle", lambda: client.get("/influencers/?q=creator1234"))
    measure(
        "list, stage + niche + follower range",
        lambda: client.get(
            "/influencers/?stage=active&niche=food&min_followers=10000&max_followers=100000"
        ),
    )
    measure("board (all influencers)", lambda: client.get("/influencers/board/"), repeat=5)
    measure(
        "CSV export, one stage",
        lambda: client.get("/influencers/export.csv?stage=active"),
        repeat=5,
    )


if __name__ == "__main__":
    main()
