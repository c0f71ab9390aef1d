"""How fast are campaign results, track records and portal numbers on 10 million records?

Seeds the agency database of `agency.py` (2,040 influencers, 5,017 partnerships, one
campaign of exactly 100) plus one tracked link per partnership and 10 million metric
records (2,000 per partnership: 400 days of people's clicks, bot clicks and visitors on
the link, sessions and engagements on the partnership), the records by one
INSERT … SELECT in the database. Then times each page through Django's test client and
prints its query count. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/results.py
    BENCH_KEEP=1 …                  re-use the seeded database of the previous run
    BENCH_RECORDS=2000000 …         fewer records (rounded to whole days per partnership)
"""

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from support.setup import measure, setup_django  # noqa: E402

RECORDS = int(os.environ.get("BENCH_RECORDS", "10000000"))
PER_DAY = 5  # metric records per partnership and day


def seed() -> None:
    import agency
    from django.db import connection

    agency.seed()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM partnerships_partnership")
        partnerships = cursor.fetchone()[0]
        days = max(RECORDS // (partnerships * PER_DAY), 1)
        cursor.execute(
            """
            INSERT INTO metrics_trackedlink (partnership_id, code, label, destination,
                utm_source, utm_medium, utm_campaign, utm_content, target_url, is_active,
                created_at)
            SELECT id, 'bench' || lpad(id::text, 11, '0'), 'Link in bio',
                'https://example.com/', 'instagram', 'influencer', 'bench', '',
                'https://example.com/?utm_source=instagram', true, now()
            FROM partnerships_partnership
            """
        )
        # One statement per metric keeps each INSERT's sort for the unique key small.
        for metric, kind, subject in (
            ("link_clicks_human", "per_bucket", "link"),
            ("link_clicks_bot", "per_bucket", "link"),
            ("link_visitors", "per_bucket", "link"),
            ("sessions", "per_bucket", "partnership"),
            ("engagements", "lifetime", "partnership"),
        ):
            if subject == "link":
                source, ids = "own_clicks", "SELECT id, partnership_id FROM metrics_trackedlink"
            else:
                source, ids = (
                    "bench",
                    "SELECT NULL::bigint AS id, id AS partnership_id FROM partnerships_partnership",
                )
            value = "(d * 7 + s.partnership_id) %% 50" if kind == "per_bucket" else "d * 3"
            # Only this module's constants are formatted in; the values are parameters.
            insert = f"""
                INSERT INTO metrics_metricrecord (link_id, partnership_id, metric, kind,
                    granularity, bucket_start, value, source, estimated, recorded_at)
                SELECT s.id, CASE WHEN s.id IS NULL THEN s.partnership_id END, %s, %s,
                    'day', date_trunc('day', now() - make_interval(days => d)), {value},
                    %s, false, now() - make_interval(days => d)
                FROM ({ids}) s CROSS JOIN generate_series(0, %s - 1) d
                """  # noqa: S608
            cursor.execute(insert, [metric, kind, source, days])
        cursor.execute("VACUUM ANALYZE metrics_metricrecord")
        cursor.execute("VACUUM ANALYZE metrics_trackedlink")
        cursor.execute("SELECT count(*) FROM metrics_metricrecord")
        total = cursor.fetchone()[0]
    print(f"  {total:,} metric records in {time.perf_counter() - start:.0f} s", flush=True)


def main() -> None:
    keep = os.environ.get("BENCH_KEEP") == "1"
    setup_django(recreate=not keep)
    if not keep:
        seed()

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User
    from campaigns.models import Campaign
    from influencers.models import Influencer
    from partnerships.models import Partnership

    setup_test_environment()
    campaign = Campaign.objects.get(name="Bench campaign 00")
    busiest = Influencer.objects.annotate(n=Count("partnerships")).order_by("-n", "pk").first()
    portal_user = User.objects.get(email="influencer@example.com")
    own = (
        Partnership.objects.filter(influencer__user=portal_user, acceptances__isnull=False)
        .order_by("pk")
        .first()
    )
    marketer, influencer = Client(), Client()
    marketer.force_login(User.objects.get(email="marketer@example.com"))
    influencer.force_login(portal_user)
    pages = [
        (
            f"campaign results ({campaign.partnerships.count()} partnerships)",
            marketer,
            f"/campaigns/{campaign.pk}/results/",
        ),
        ("campaign results CSV", marketer, f"/campaigns/{campaign.pk}/results.csv"),
        (
            f"profile with track record ({busiest.n} partnerships)",
            marketer,
            f"/influencers/{busiest.pk}/",
        ),
        ("track record CSV", marketer, f"/influencers/{busiest.pk}/track-record.csv"),
        ("portal partnership (KPI progress)", influencer, f"/portal/partnerships/{own.pk}/"),
    ]
    for label, client, path in pages:
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        measure(f"{label} [{len(queries)} queries]", lambda c=client, p=path: c.get(p), repeat=20)


if __name__ == "__main__":
    main()
