"""How long do the collectors take to pull a big roster, and do they keep to the limits?

Seeds a scratch database (…_bench) with N YouTube channels (default 10,000), each with a
data source, and 3 published posts per channel (30,000), then starts the fake providers
in this process with 100 ms added to every answer, a Celery worker with the default
settings of `make run` and the Procfile (prefork, concurrency 2), and fires the
dispatcher once. Measures the wall time until every source has pulled, and prints it
beside the ideal: the larger of requests x latency / concurrency (the workers never idle)
and the requests the configured per-provider rate allows in that time; then the most
requests the fake saw in any one second against what the token bucket allows (burst +
rate). Prints figures; asserts nothing.

    .venv/bin/python scripts/dev.py bench                 # every benchmark
    .venv/bin/python benchmarks/collectors.py             # only this one (over an hour at
                                                          # YouTube's default 5 requests/s)
    BENCH_CHANNELS=300 .venv/bin/python benchmarks/collectors.py

Environment: BENCH_CHANNELS (default 10000), BENCH_POSTS_PER_CHANNEL (3),
BENCH_LATENCY_MS (100), WORKER_CONCURRENCY (2), COLLECTORS_RATE_LIMITS (JSON, to try
other buckets, e.g. '{"youtube": [50, 10]}').
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from support.setup import setup_django  # noqa: E402

CHANNELS = int(os.environ.get("BENCH_CHANNELS", "10000"))
POSTS_PER_CHANNEL = int(os.environ.get("BENCH_POSTS_PER_CHANNEL", "3"))
LATENCY = float(os.environ.get("BENCH_LATENCY_MS", "100")) / 1000
CONCURRENCY = int(os.environ.get("WORKER_CONCURRENCY", "2"))
PREFIX = f"bench-collect-{uuid.uuid4().hex[:6]}"
KEY = "AIzaSy-bench-key-0000"


def seed(base_url: str) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import User
    from campaigns.models import Campaign
    from collectors.models import Connection, Provider
    from common import crypto
    from influencers.models import Channel, Influencer
    from metrics.models import Post
    from partnerships.models import Partnership

    start = time.perf_counter()
    owner = User.objects.create_user("bench@example.com", "bench-password", role="admin")
    today = timezone.localdate()
    now = timezone.now()
    campaign = Campaign.objects.create(
        name="Bench", brand="Kopi Kita", starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=30), budget=Decimal("1000.00"), currency="MYR",
        utm_campaign="bench", status="live", owner=owner,
    )  # fmt: skip
    influencers = Influencer.objects.bulk_create(
        [
            Influencer(name=f"Creator {i:05d}", email=f"c{i}@bench.test", owner=owner)
            for i in range(CHANNELS)
        ],
        batch_size=2000,
    )
    channels = Channel.objects.bulk_create(
        [
            Channel(
                influencer=influencer,
                platform="youtube",
                handle=f"creator{i:05d}",
                profile_url=f"https://www.youtube.com/@creator{i:05d}",
                account_id=f"UCbench{i:05d}",
                is_primary=True,
            )  # fmt: skip
            for i, influencer in enumerate(influencers)
        ],
        batch_size=2000,
    )
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(campaign=campaign, influencer=influencer, owner=owner, status="active")
            for influencer in influencers
        ],
        batch_size=2000,
    )
    Post.objects.bulk_create(
        [
            Post(
                partnership=partnership,
                channel=channel,
                platform="youtube",
                platform_post_id=f"v{i:05d}x{n}",
                origin=Post.Origin.MARKETER,
                url=f"https://www.youtube.com/watch?v=v{i:05d}x{n}",
                published_at=now - timedelta(days=n + 1),
            )  # fmt: skip
            for i, (channel, partnership) in enumerate(zip(channels, partnerships, strict=True))
            for n in range(POSTS_PER_CHANNEL)
        ],
        batch_size=5000,
    )
    secret = crypto.encrypt(KEY)
    Connection.objects.bulk_create(
        [
            Connection(
                provider=Provider.YOUTUBE,
                name=f"YT {i:05d}",
                channel=channel,
                base_url=f"{base_url}/youtube/v3",
                credential_encrypted=secret,
                credential_hint=KEY[-4:],
                owner=owner,
                created_by=owner,
                next_run_at=now,
            )  # fmt: skip
            for i, channel in enumerate(channels)
        ],
        batch_size=5000,
    )
    posts = CHANNELS * POSTS_PER_CHANNEL
    print(
        f"seeded {CHANNELS:,} channels and sources, {posts:,} posts "
        f"in {time.perf_counter() - start:.1f} s",
        flush=True,
    )


def start_worker(media: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "MEDIA_ROOT": media,
        "COLLECTORS_QUEUE_PREFIX": PREFIX,
        "CELERY_TASK_DEFAULT_QUEUE": f"{PREFIX}.default",
        "COLLECTORS_RATE_LIMIT_PREFIX": f"{PREFIX}:bucket",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency",
        str(CONCURRENCY), "--loglevel", "warning", "--hostname", f"{PREFIX}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def max_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def main() -> None:
    import signal

    os.environ["COLLECTORS_QUEUE_PREFIX"] = PREFIX
    os.environ["COLLECTORS_RATE_LIMIT_PREFIX"] = f"{PREFIX}:bucket"
    setup_django()
    from django.conf import settings
    from django.db import connection

    from collectors.fake.server import FakeServer
    from collectors.models import PullAttempt
    from collectors.tasks import dispatch
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    fake = FakeServer("127.0.0.1", 0, latency=LATENCY)
    fake.start_in_thread()
    seed(fake.url)
    connection.close()
    rate, burst = settings.COLLECTORS_RATE_LIMITS["youtube"]
    with tempfile.TemporaryDirectory(prefix="bench-media-") as media:
        worker = start_worker(media)
        try:
            time.sleep(5)  # let the worker connect before the clock starts
            start = time.perf_counter()
            queued = dispatch()
            while PullAttempt.objects.count() < CHANNELS:
                if worker.poll() is not None:
                    raise SystemExit("the worker exited")
                time.sleep(0.5)
            wall = time.perf_counter() - start
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)
    failed = PullAttempt.objects.exclude(outcome=PullAttempt.Outcome.OK).count()
    times = [r["at"] for r in fake.state.log if r["provider"] == "youtube"]
    requests = len(times)
    by_latency = requests * LATENCY / CONCURRENCY
    by_rate = max(0.0, (requests - burst) / rate)
    ideal = max(by_latency, by_rate)
    print(
        f"collectors: {CHANNELS:,} YouTube sources, {CHANNELS * POSTS_PER_CHANNEL:,} posts, "
        f"{queued:,} pulls queued, {failed} failed\n"
        f"  requests {requests:,} at {LATENCY * 1000:.0f} ms, {CONCURRENCY} worker processes, "
        f"rate {rate:g}/s burst {burst}\n"
        f"  wall {wall:8.1f} s   ideal {ideal:8.1f} s (latency bound {by_latency:.1f} s, "
        f"rate bound {by_rate:.1f} s)   ratio {wall / ideal if ideal else 0:.2f}x\n"
        f"  most requests in any second {max_in_one_second(times)} "
        f"(the bucket allows {burst + rate:g})",
        flush=True,
    )
    fake.shutdown()


if __name__ == "__main__":
    main()
