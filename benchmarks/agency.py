"""Every marketer and portal page at agency size, under gunicorn with production settings.

Seeds a scratch database (…_bench) with the demo data plus 2,040 influencers, 5,017
partnerships (one campaign of exactly 100), 20,000 contacts and 8,000 follow-ups, the big
tables by COPY. Then, for each page: the query count (in process), the sequential
p50/p95 over keep-alive requests, and the throughput at 8 connections (wrk if installed,
else a Python client), each beside a bare Django view served by the same gunicorn in the
same run. Prints a table; asserts nothing.

    .venv/bin/python scripts/dev.py bench                 # every benchmark
    .venv/bin/python benchmarks/agency.py                 # only this one
    BENCH_PAGES=my_day,campaign .venv/bin/python benchmarks/agency.py
    BENCH_KEEP=1 …   re-use the seeded database of the previous run

Environment: BENCH_SECONDS (throughput window per page, default 4), BENCH_REQUESTS
(sequential requests per page, default 40), WEB_CONCURRENCY (gunicorn workers, 3).
"""

import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from support.server import free_port, start_gunicorn, stop  # noqa: E402
from support.setup import copy_instances, setup_django  # noqa: E402

INFLUENCERS = 2040
PARTNERSHIPS = 5017
CONTACTS = 20_000
FOLLOW_UPS = 8_000
CAMPAIGNS = 50
MARKETERS = 9  # the demo's admin and manager plus seven more: ~560 partnerships each
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
STATUS_MIX = [
    ("draft", 10),
    ("proposed", 15),
    ("accepted", 10),
    ("active", 35),
    ("completed", 20),
    ("declined", 5),
    ("cancelled", 5),
]


# --- Seeding -----------------------------------------------------------------


def seed() -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    start = time.perf_counter()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with transaction.atomic(), connection.cursor() as cursor:
        # Children of proposed versions are frozen by a trigger; seeding writes them after.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _seed_bulk()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.perf_counter() - start:.0f} s", flush=True)


def _seed_bulk() -> None:  # noqa: PLR0915 - one linear script reads best here
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from campaigns.models import Campaign
    from influencers.models import Channel, Influencer, ResearchCheck, ResearchItem, StageChange
    from partnerships.models import (
        Acceptance,
        CompensationLine,
        Contact,
        Deliverable,
        FollowUp,
        Partnership,
        Payment,
        Shipment,
        Submission,
        TermsVersion,
    )

    rng = random.Random(12)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password("bench-password")
    demo_marketers = list(User.objects.filter(role__in=["admin", "manager"]).order_by("pk"))
    extra = User.objects.bulk_create(
        User(
            email=f"marketer{i}@bench.test",
            full_name=f"Marketer {i}",
            role="manager",
            password=password,
        )
        for i in range(MARKETERS - len(demo_marketers))
    )
    marketers = demo_marketers + extra
    signer = User.objects.create(email="signer@bench.test", role="influencer", password=password)

    have = Influencer.objects.count()
    stages = ["prospect", "researched", "pitched", "negotiating", "active", "alumni"]
    new_influencers = Influencer.objects.bulk_create(
        [
            Influencer(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:04d}",
                email=f"creator{i}@bench.test",
                country="Malaysia",
                city=rng.choice(["Kuala Lumpur", "Penang", "Johor Bahru", "Ipoh"]),
                niches=rng.sample(NICHES, 2),
                languages=["Malay", "English"],
                bio="Shares recipes, travel notes and honest reviews. " * 4,
                internal_notes="Responsive on WhatsApp; prefers bank transfer. " * 3,
                stage=rng.choice(stages),
                owner=marketers[i % MARKETERS],
                created_at=now - timedelta(days=rng.randint(0, 700)),
            )
            for i in range(INFLUENCERS - have)
        ],
        batch_size=2000,
    )
    copy_instances(
        Channel,
        [
            Channel(
                influencer=inf,
                platform=platform,
                handle=f"creator{inf.pk}_{platform}",
                profile_url=f"https://example.com/{platform}/{inf.pk}",
                followers=rng.randint(2_000, 300_000),
                followers_as_of=today,
                is_primary=platform == "instagram",
                created_at=now,
            )
            for inf in new_influencers
            for platform in ("instagram", "tiktok")
        ],
    )
    copy_instances(
        StageChange,
        [
            StageChange(influencer=inf, from_stage="", to_stage=inf.stage, changed_at=now)
            for inf in new_influencers
        ],
    )
    copy_instances(
        ResearchCheck,
        [
            ResearchCheck(influencer=inf, item=item, done=rng.random() < 0.6, note="Checked.")
            for inf in new_influencers
            for item in list(ResearchItem.values)[:4]
        ],
    )
    influencers = list(Influencer.objects.order_by("pk").values_list("pk", flat=True))
    channel_of = dict(Channel.objects.filter(is_primary=True).values_list("influencer_id", "pk"))
    channel_of.update(
        {i: c for i, c in Channel.objects.values_list("influencer_id", "pk") if i not in channel_of}
    )

    have = Campaign.objects.count()
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            name=f"Bench campaign {i:02d}",
            brand=rng.choice(["Kopi Kita", "Batik Baru", "Sambal Sedap", "Glow Lab"]),
            goal="Awareness among young families in the Klang Valley.",
            starts_on=today - timedelta(days=rng.randint(0, 120)),
            ends_on=today + timedelta(days=rng.randint(30, 180)),
            budget=Decimal("50000.00"),
            currency="MYR",
            utm_campaign=f"bench-{i}",
            status="active",
            owner=marketers[i % MARKETERS],
        )
        for i in range(CAMPAIGNS)
    )
    have_partnerships = Partnership.objects.count()
    want = PARTNERSHIPS - have_partnerships
    # The first campaign gets exactly 100 (the campaign page measured); the rest share.
    sizes = [100] + [(want - 100) // (CAMPAIGNS - 1)] * (CAMPAIGNS - 1)
    sizes[-1] += want - sum(sizes)
    statuses = [s for s, weight in STATUS_MIX for _ in range(weight)]
    taken = set(Partnership.objects.values_list("campaign_id", "influencer_id"))
    partnerships = []
    for campaign, size in zip(campaigns, sizes, strict=True):
        for influencer in rng.sample(influencers, size):
            if (campaign.pk, influencer) in taken:
                continue
            partnerships.append(
                Partnership(
                    campaign=campaign,
                    influencer_id=influencer,
                    owner=marketers[len(partnerships) % MARKETERS],
                    status=rng.choice(statuses),
                    created_at=now - timedelta(days=rng.randint(1, 90)),
                    status_changed_at=now - timedelta(days=rng.randint(0, 30)),
                )
            )
    partnerships = Partnership.objects.bulk_create(partnerships, batch_size=2000)
    del have

    template = TermsVersion.objects.exclude(content={}).order_by("pk").first()
    versions = []
    for p in partnerships:
        proposed = p.status != "draft"
        revisions = 2 if proposed and rng.random() < 0.3 else 1
        for number in range(1, revisions + 1):
            content = dict(template.content) if template else {}
            content["parties"] = {
                "brand": "Kopi Kita",
                "campaign": "Bench",
                "influencer": str(p.pk),
            }
            versions.append(
                TermsVersion(
                    partnership=p,
                    number=number,
                    created_by=p.owner,
                    created_at=p.created_at,
                    proposed_at=p.created_at + timedelta(days=number) if proposed else None,
                    proposed_by=p.owner if proposed else None,
                    sha256=f"{p.pk:064x}"[-60:] + f"{number:04d}" if proposed else "",
                    content=content if proposed else {},
                    brief_must_haves=["Tag @kopikita", "Use #KopiPagi"],
                    creative_notes="Morning light, real kitchen, no studio shots. " * 3,
                )
            )
    versions = TermsVersion.objects.bulk_create(versions, batch_size=2000)
    latest = {}
    for v in versions:
        latest[v.partnership_id] = v
    by_pk = {p.pk: p for p in partnerships}
    deliverables, compensation, acceptances = [], [], []
    for v in versions:
        p = by_pk[v.partnership_id]
        for position, (fmt, offset) in enumerate((("reel", -10), ("story", 12))):
            deliverables.append(
                Deliverable(
                    version=v,
                    position=position,
                    channel_id=channel_of[p.influencer_id],
                    format=fmt,
                    quantity=rng.randint(1, 3),
                    due_on=today + timedelta(days=offset + rng.randint(-15, 15)),
                    requirements="Show the product within three seconds.",
                )
            )
        compensation.append(
            CompensationLine(version=v, kind="cash", amount=Decimal(rng.randint(3, 30) * 100))
        )
        compensation.append(
            CompensationLine(
                version=v,
                position=1,
                kind="product",
                description="Gift box",
                quantity=1,
                cost_of_goods=Decimal("45.00"),
                retail_value=Decimal("120.00"),
            )
        )
        if v is latest[p.pk] and p.status in ("accepted", "active", "completed"):
            acceptances.append(
                Acceptance(
                    version=v,
                    partnership=p,
                    accepted_by=signer,
                    accepted_at=v.proposed_at + timedelta(days=1),
                    sha256=v.sha256,
                    ip_address="127.0.0.1",
                    user_agent="bench",
                )
            )
    copy_instances(CompensationLine, compensation)
    copy_instances(Acceptance, acceptances)
    Deliverable.objects.bulk_create(deliverables, batch_size=4000)
    copy_instances(
        Submission,
        [
            Submission(
                partnership_id=d.version.partnership_id,
                deliverable=d,
                piece=1,
                post_url=f"https://instagram.com/p/{d.pk}",
                status=rng.choice(["submitted", "approved", "approved"]),
                submitted_by=signer,
                submitted_at=now - timedelta(days=rng.randint(0, 20)),
            )
            for d in deliverables
            if latest[d.version.partnership_id] is d.version
            and by_pk[d.version.partnership_id].status in ("active", "completed")
            and d.position == 0
        ],
    )
    shipments, payments = [], []
    for p in partnerships:
        if p.status in ("active", "completed") and rng.random() < 0.6:
            sent = today - timedelta(days=rng.randint(2, 30))
            delivered = p.status == "completed" or rng.random() < 0.5
            shipments.append(
                Shipment(
                    partnership=p,
                    item="Gift box",
                    quantity=1,
                    value=Decimal("120.00"),
                    shipping_cost=Decimal("12.00"),
                    currency="MYR",
                    carrier="Pos Laju",
                    tracking_number=f"EP{p.pk:09d}MY",
                    sent_on=sent,
                    delivered_on=sent + timedelta(days=3) if delivered else None,
                    status="delivered" if delivered else "sent",
                    created_at=now,
                )
            )
        if p.status == "completed" or (p.status == "active" and rng.random() < 0.3):
            payments.append(
                Payment(
                    partnership=p,
                    kind="cash",
                    amount=Decimal("500.00"),
                    currency="MYR",
                    paid_on=today - timedelta(days=rng.randint(0, 60)),
                )
            )
    copy_instances(Shipment, shipments)
    copy_instances(Payment, payments)

    pairs = [(p.influencer_id, p.pk) for p in partnerships]
    kinds = ["email", "whatsapp", "call", "meeting"]
    copy_instances(
        Contact,
        [
            Contact(
                influencer_id=influencer,
                partnership_id=partnership if i % 2 else None,
                kind=rng.choice(kinds),
                happened_at=now - timedelta(hours=rng.randint(1, 24 * 120)),
                summary="Talked through the brief and the posting dates.",
                logged_by=marketers[i % MARKETERS],
                created_at=now,
            )
            for i, (influencer, partnership) in enumerate(rng.choices(pairs, k=CONTACTS))
        ],
    )
    copy_instances(
        FollowUp,
        [
            FollowUp(
                influencer_id=influencer,
                partnership_id=partnership if i % 3 else None,
                what="Check the draft caption",
                due_on=today + timedelta(days=rng.randint(-40, 40)),
                assignee=marketers[i % MARKETERS],
                created_by=marketers[i % MARKETERS],
                done_at=now if rng.random() < 0.4 else None,
                created_at=now,
            )
            for i, (influencer, partnership) in enumerate(rng.choices(pairs, k=FOLLOW_UPS))
        ],
    )
    print(
        f"  {Influencer.objects.count():,} influencers, {Partnership.objects.count():,} "
        f"partnerships, {TermsVersion.objects.count():,} terms versions, "
        f"{Contact.objects.count():,} contacts, {FollowUp.objects.count():,} follow-ups",
        flush=True,
    )


FIRST = ["Aisyah", "Nurul", "Jason", "Priya", "Daniel", "Siti", "Wei Ling", "Arjun", "Farah"]
LAST = ["Rahman", "Tan", "Nair", "Lim", "Abdullah", "Wong", "Kaur", "Ismail", "Chong"]
NICHES = ["food", "beauty", "travel", "tech", "fitness", "parenting", "gaming", "fashion"]


# --- The pages ---------------------------------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(name, who, path): who is "marketer", "viewer" or "influencer"."""
    from django.db.models import Count

    from accounts.models import User
    from campaigns.models import Campaign
    from influencers.models import Influencer
    from partnerships.models import Partnership, TermsVersion

    campaign = Campaign.objects.get(name="Bench campaign 00")
    busiest = Influencer.objects.annotate(n=Count("partnerships")).order_by("-n", "pk").first()
    partnership = (
        Partnership.objects.filter(status="active", shipments__isnull=False, payments__isnull=False)
        .annotate(n=Count("versions"))
        .order_by("-n", "pk")
        .first()
    )
    version = TermsVersion.objects.filter(partnership=partnership).order_by("-number").first()
    portal_user = User.objects.get(email="influencer@example.com")
    own = Partnership.objects.filter(influencer__user=portal_user).exclude(status="draft")
    own = own.order_by("pk").first()
    own_version = own.versions.exclude(proposed_at=None).order_by("-number").first()
    handle = busiest.channels.first().handle[:8]
    p, v = partnership.pk, version.number
    return [
        ("bare Django view", "marketer", "/bench/bare"),
        ("My day", "marketer", "/"),
        ("My day (viewer: team counts)", "viewer", "/"),
        ("influencer list", "marketer", "/influencers/"),
        ("influencer search ?q=", "marketer", f"/influencers/?q={handle}"),
        ("influencer board", "marketer", "/influencers/board/"),
        ("influencer profile", "marketer", f"/influencers/{busiest.pk}/"),
        ("influencer timeline", "marketer", f"/partnerships/influencers/{busiest.pk}/timeline/"),
        ("influencer edit form", "marketer", f"/influencers/{busiest.pk}/edit/"),
        ("influencer research form", "marketer", f"/influencers/{busiest.pk}/research/"),
        ("influencer new form", "marketer", "/influencers/new/"),
        ("influencer picker ?q=", "marketer", "/influencers/pick/?q=tan"),
        ("campaign list", "marketer", "/campaigns/"),
        ("campaign (100 partnerships)", "marketer", f"/campaigns/{campaign.pk}/"),
        ("campaign edit form", "marketer", f"/campaigns/{campaign.pk}/edit/"),
        ("partnership list", "marketer", "/partnerships/"),
        ("partnership search ?q=", "marketer", "/partnerships/?q=tan"),
        ("partnership page", "marketer", f"/partnerships/{p}/"),
        ("partnership new form", "marketer", "/partnerships/new/"),
        ("terms document", "marketer", f"/partnerships/{p}/terms/v{v}/"),
        ("terms changes", "marketer", f"/partnerships/{p}/terms/v{v}/changes/"),
        ("terms PDF", "marketer", f"/partnerships/{p}/terms/v{v}.pdf"),
        ("terms edit (draft)", "marketer", f"/partnerships/{p}/terms/edit/"),
        ("shipment form", "marketer", f"/partnerships/{p}/shipments/add/"),
        ("payment form", "marketer", f"/partnerships/{p}/payments/add/"),
        ("preferences", "marketer", "/accounts/preferences/"),
        ("portal home", "influencer", "/portal/"),
        ("portal partnership", "influencer", f"/portal/partnerships/{own.pk}/"),
        (
            "portal terms",
            "influencer",
            f"/portal/partnerships/{own.pk}/terms/v{own_version.number}/",
        ),
        (
            "portal terms PDF",
            "influencer",
            f"/portal/partnerships/{own.pk}/terms/v{own_version.number}.pdf",
        ),
    ]


def sessions() -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    cookies = {}
    for who, email in (
        ("marketer", "marketer@example.com"),
        ("viewer", "viewer@example.com"),
        ("influencer", "influencer@example.com"),
    ):
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def count_queries(page_list, cookies) -> dict[str, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS)
    counts = {}
    clients = {}
    for who, value in cookies.items():
        clients[who] = Client()
        clients[who].cookies[settings.SESSION_COOKIE_NAME] = value
    for name, who, path in page_list:
        if path.startswith("/bench/"):
            counts[name] = 0
            continue
        clients[who].get(path)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            response = clients[who].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        counts[name] = len(ctx.captured_queries)
    return counts


# --- Serving and load ----------------------------------------------------------


def get(port: int, path: str, cookie: str, conn: http.client.HTTPConnection | None = None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "en"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return conn, len(body)


def sequential(port: int, path: str, cookie: str) -> tuple[float, float, int]:
    conn, size = get(port, path, cookie)
    for _ in range(3):
        conn, size = get(port, path, cookie, conn)
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        conn, size = get(port, path, cookie, conn)
        timings.append((time.perf_counter() - start) * 1000)
    conn.close()
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], size


def throughput(port: int, path: str, cookie: str) -> float:
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run(
            [
                wrk,
                "-t2",
                "-c8",
                f"-d{SECONDS:g}s",
                "-H",
                f"Cookie: {cookie}",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "Non-2xx" in out:
            raise SystemExit(f"{path}: errors under load\n{out}")
        return float(
            next(ln for ln in out.splitlines() if ln.startswith("Requests/sec")).split()[1]
        )
    done = [0] * 8
    stop = time.monotonic() + SECONDS

    def client(i: int) -> None:
        conn = None
        while time.monotonic() < stop:
            conn, _ = get(port, path, cookie, conn)
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / SECONDS


def main() -> None:
    keep = os.environ.get("BENCH_KEEP") == "1"
    setup_django(recreate=not keep)
    from django.conf import settings

    if not keep:
        seed()
    page_list = pages()
    wanted = [w.strip() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    if wanted:
        page_list = [page_list[0]] + [
            pg for pg in page_list[1:] if any(w.lower() in pg[0].lower() for w in wanted)
        ]
    cookies = sessions()
    counts = count_queries(page_list, cookies)
    name = settings.SESSION_COOKIE_NAME
    header = {who: f"{name}={value}" for who, value in cookies.items()}
    port = free_port()
    server = start_gunicorn(port, workers=WORKERS)
    try:
        print(
            f"\n{'page':<32} {'queries':>7} {'KB':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'req/s':>7} {'× bare':>7}",
            flush=True,
        )
        bare = None
        for label, who, path in page_list:
            p50, p95, size = sequential(port, path, header[who])
            rate = throughput(port, path, header[who])
            bare = bare or rate
            print(
                f"{label:<32} {counts[label]:>7} {size / 1024:>6.0f} {p50:>7.1f} {p95:>7.1f} "
                f"{rate:>7.0f} {rate / bare:>7.3f}",
                flush=True,
            )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
