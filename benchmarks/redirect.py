"""How fast is /r/<code>, and is every click counted under load?

Seeds one tracked link in a scratch database (…_bench), serves the app with gunicorn
under the production settings on loopback, and runs wrk at 32 connections in turns
against /r/<code> and against /bench/redirect (a fixed 302 through the same middleware,
benchmarks only). Prints req/s, p50 and p99 of both and their ratio, then checks the
count: the human clicks written during each /r/ turn must equal the requests wrk sent
(counted by a Lua hook, so requests still in flight when wrk stops, timeouts and socket
errors are all accounted for) and the 302s in gunicorn's access log.

    .venv/bin/python benchmarks/redirect.py               # 3 turns of 10 s each
    .venv/bin/python benchmarks/redirect.py --quick       # a smoke run: 1 turn of 1 s
    .venv/bin/python benchmarks/redirect.py --seconds 20 --turns 5 --workers 4

Exits 1 if a click is missing or extra (the figures themselves assert nothing).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from support.server import free_port, start_gunicorn, stop  # noqa: E402
from support.setup import setup_django  # noqa: E402

AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
# Counts every request wrk starts writing (a new one per connection after each answer,
# gunicorn's sync workers close the connection) and every answer it reads. wrk calls
# request() once more before the run, on the first thread, to check what it returns:
# that call is not counted.
COUNTER = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) sent = 0; answered = 0 end
function request() sent = sent + 1; return wrk.format(nil) end
function response(status, headers, body) answered = answered + 1 end
function done(summary, latency, requests)
  local s, a = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("sent"); a = a + t:get("answered") end
  io.write(string.format("COUNTED sent=%d answered=%d\\n", s - 1, a))
end
"""


def seed() -> str:
    """One partnership with one tracked link; returns its code."""
    import datetime

    from accounts.models import User
    from campaigns.models import Campaign
    from influencers.models import Influencer
    from metrics.links.services import tracked_link_create
    from partnerships.models import Partnership

    owner = User.objects.create_user("bench@example.com", "bench-password", role="admin")
    today = datetime.date.today()
    campaign = Campaign.objects.create(
        name="Bench",
        brand="Kopi Kita",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        utm_campaign="bench",
        owner=owner,
    )
    influencer = Influencer.objects.create(name="Bench Creator", owner=owner)
    partnership = Partnership.objects.create(
        campaign=campaign, influencer=influencer, owner=owner, status="active"
    )
    link = tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", by=owner
    )
    return link.code


def human_clicks(code: str) -> int:
    from metrics.models import Click

    return Click.objects.filter(link__code=code, kind=Click.Kind.HUMAN).count()


def run_wrk(url: str, *, seconds: float, connections: int, script: Path) -> dict:
    out = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"User-Agent: {AGENT}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "completed": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(_find(r"(?m)^\s*50%\s+(\S+)", out)),
        "p99": _ms(_find(r"(?m)^\s*99%\s+(\S+)", out)),
        "sent": int(re.search(r"sent=(\d+)", out).group(1)),
        "answered": int(re.search(r"answered=(\d+)", out).group(1)),
        "errors": re.search(r"Socket errors:.*", out),
        "non3xx": re.search(r"Non-2xx or 3xx responses: (\d+)", out),
    }
    result["errors"] = result["errors"].group(0) if result["errors"] else ""
    result["non3xx"] = int(result["non3xx"].group(1)) if result["non3xx"] else 0
    return result


def _find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    return found.group(1) if found else ""


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:  # wrk prints e.g. "-nan" when nothing was answered
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def served(log: Path, prefix: str) -> int:
    """302s for paths under `prefix` in gunicorn's access log ("%(s)s %(U)s" lines)."""
    return sum(
        1
        for line in log.read_text().splitlines()
        if line.startswith("302 ") and line[4:].startswith(prefix)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "3"))
    parser.add_argument("--quick", action="store_true", help="1 turn of 1 s (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.turns = 1, 1
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")

    setup_django(suffix="bench_redirect")
    code = seed()
    tmp = Path(tempfile.mkdtemp(prefix="bench-redirect-"))
    script = tmp / "count.lua"
    script.write_text(COUNTER)
    log = tmp / "access.log"
    port = free_port()
    server = start_gunicorn(port, workers=args.workers, access_log=log)
    base = f"http://127.0.0.1:{port}"
    ok = True
    totals = {"bare": [], "click": []}
    try:
        print(
            f"gunicorn {args.workers} sync workers, wrk 2 threads {args.connections} "
            f"connections, {args.turns} turns of {args.seconds:g} s, load average "
            f"{os.getloadavg()[0]:.1f}",
            flush=True,
        )
        print(
            f"{'turn':<5}{'view':<26}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
            f"{'sent':>8}{'clicks':>8}{'served':>8}",
            flush=True,
        )
        for turn in range(1, args.turns + 1):
            bare = run_wrk(
                f"{base}/bench/redirect",
                seconds=args.seconds,
                connections=args.connections,
                script=script,
            )
            totals["bare"].append(bare)
            print(
                f"{turn:<5}{'fixed 302 (baseline)':<26}{bare['rate']:>8.0f}{bare['p50']:>8.1f}"
                f"{bare['p99']:>8.1f}{bare['sent']:>8}{'-':>8}{'-':>8}",
                flush=True,
            )
            before_clicks = human_clicks(code)
            before_served = served(log, "/r/")
            click = run_wrk(
                f"{base}/r/{code}",
                seconds=args.seconds,
                connections=args.connections,
                script=script,
            )
            time.sleep(1)  # requests wrk sent just before it stopped are still answered
            clicks = human_clicks(code) - before_clicks
            answered = served(log, "/r/") - before_served
            totals["click"].append(click)
            print(
                f"{turn:<5}{'/r/<code>':<26}{click['rate']:>8.0f}{click['p50']:>8.1f}"
                f"{click['p99']:>8.1f}{click['sent']:>8}{clicks:>8}{answered:>8}"
                f"   ratio {click['rate'] / bare['rate']:.2f}",
                flush=True,
            )
            if click["errors"] or click["non3xx"]:
                print(f"     wrk: {click['errors']} non-3xx {click['non3xx']}", flush=True)
            if not (clicks == click["sent"] == answered):
                ok = False
                print(
                    f"     COUNT MISMATCH: wrk sent {click['sent']} (read "
                    f"{click['answered']} answers, reported {click['completed']}), "
                    f"{answered} served, {clicks} human clicks",
                    flush=True,
                )
    finally:
        stop(server)
    bare_rate = sum(r["rate"] for r in totals["bare"]) / len(totals["bare"])
    click_rate = sum(r["rate"] for r in totals["click"]) / len(totals["click"])
    worst_p99 = max(r["p99"] for r in totals["click"])
    print(
        f"\nmean over turns: baseline {bare_rate:.0f} req/s, /r/<code> {click_rate:.0f} "
        f"req/s, ratio {click_rate / bare_rate:.2f} (target >= 0.8); /r/ p99 worst turn "
        f"{worst_p99:.1f} ms (target <= 10 ms); clicks "
        f"{'exact in every turn' if ok else 'MISMATCH'}",
        flush=True,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
