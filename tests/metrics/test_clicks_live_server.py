"""Every click is counted: 200 requests at once against a live server, each one a row
in Postgres before its 302 was sent."""

import http.client
import threading
from urllib.parse import urlsplit

from metrics.links.clicks import clicks_rollup
from metrics.links.services import tracked_link_create
from metrics.models import Click, Metric, MetricRecord
from tests.factories import make_partnership

REQUESTS = 200
# Client threads: enough to keep the server busy without exhausting the Postgres
# connections five engineers' test runs share (each server thread holds one).
THREADS = 25


def test_the_click_count_is_exact_under_concurrent_requests(live_server, marketer):
    link = tracked_link_create(
        partnership=make_partnership(by=marketer),
        destination="https://kopikita.example/",
        by=marketer,
    )
    server = urlsplit(live_server.url)
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)
    per_thread = REQUESTS // THREADS

    def visit(index: int) -> None:
        start.wait()
        for request_number in range(per_thread):
            conn = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
            agent = f"Mozilla/5.0 (iPhone) visitor-{index}-{request_number % 2}"
            conn.request("GET", f"/r/{link.code}", headers={"User-Agent": agent})
            status = conn.getresponse().status
            conn.close()
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert statuses == [302] * REQUESTS
    assert Click.objects.filter(link=link, kind=Click.Kind.HUMAN).count() == REQUESTS
    clicks_rollup()
    clicks_rollup()
    human = MetricRecord.objects.get(link=link, metric=Metric.LINK_CLICKS_HUMAN)
    visitors = MetricRecord.objects.get(link=link, metric=Metric.LINK_VISITORS)
    # All from 127.0.0.1: visitors differ only by their user agent (25 threads × 2).
    assert (human.value, visitors.value) == (REQUESTS, THREADS * 2)
