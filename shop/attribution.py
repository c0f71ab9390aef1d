"""Which partnership an order belongs to.

1. A discount code: one of the order's codes (case and surrounding spaces ignored) is
   the discount code of a commission line in a partnership's terms in force (its
   latest accepted version). The order's first matching code wins; a code in two
   partnerships' terms goes to the older partnership.
2. Otherwise the landing URL's UTM parameters: every UTM a tracked link sets
   (source, medium, campaign, content) is in the URL with the same value (case
   ignored). The link setting the most of them wins, then the oldest link.
3. Otherwise the order is nobody's.

An order is attributed at most once (a one-to-one row), with the rule that won.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from django.db.models.functions import Lower

from metrics.models import TrackedLink
from metrics.models.links import UTM_FIELDS
from partnerships.models import CompensationLine

from .models import Attribution, Order


@dataclass(frozen=True)
class Match:
    partnership_id: int
    rule: str
    matched: str


def normal_code(code: str) -> str:
    return code.strip().casefold()


def codes_in_force() -> dict[str, int]:
    """Discount code (normalised) -> partnership id, from every partnership's terms in force."""
    lines = (
        CompensationLine.objects.filter(
            kind=CompensationLine.Kind.COMMISSION, version__acceptance__isnull=False
        )
        .exclude(discount_code="")
        .values_list("version__partnership_id", "version__number", "discount_code")
        .order_by("version__partnership_id", "-version__number")
    )
    latest: dict[int, int] = {}
    codes: dict[str, int] = {}
    for partnership_id, number, code in lines:
        if latest.setdefault(partnership_id, number) != number:
            continue  # an older accepted version: no longer in force
        codes.setdefault(normal_code(code), partnership_id)
    return codes


def utms_of(url: str) -> dict[str, str]:
    query = urlsplit(url or "").query
    return {k: v.casefold() for k, v in parse_qsl(query) if k in UTM_FIELDS and v}


def links_for(utm_campaigns: set[str]) -> list[TrackedLink]:
    """The tracked links whose utm_campaign is one of these (case ignored)."""
    if not utm_campaigns:
        return []
    return list(
        TrackedLink.objects.annotate(campaign_tag=Lower("utm_campaign"))
        .filter(campaign_tag__in={c.casefold() for c in utm_campaigns})
        .only("pk", "partnership_id", *UTM_FIELDS)
        .order_by("pk")
    )


def match(order: Order, codes: dict[str, int], links: list[TrackedLink]) -> Match | None:
    for code in order.discount_codes:
        if normal_code(code) in codes:
            return Match(codes[normal_code(code)], Attribution.Rule.CODE, code.strip())
    found = utms_of(order.landing_url)
    best: tuple[int, TrackedLink] | None = None
    for link in links:
        wanted = {f: getattr(link, f).casefold() for f in UTM_FIELDS if getattr(link, f)}
        fits = wanted and all(found.get(f) == v for f, v in wanted.items())
        if fits and (best is None or len(wanted) > best[0]):
            best = (len(wanted), link)
    if best is None:
        return None
    matched = "&".join(f"{f}={found[f]}" for f in UTM_FIELDS if getattr(best[1], f))
    return Match(best[1].partnership_id, Attribution.Rule.UTM, matched)


def orders_attribute(orders: list[Order]) -> set[int]:
    """Attribute the orders not attributed yet; the partnership ids that gained one."""
    done = set(Attribution.objects.filter(order__in=orders).values_list("order_id", flat=True))
    orders = [o for o in orders if o.pk not in done]
    if not orders:
        return set()
    codes = codes_in_force()
    links = links_for({utms_of(o.landing_url).get("utm_campaign", "") for o in orders} - {""})
    rows = []
    for order in orders:
        found = match(order, codes, links)
        if found:
            rows.append(
                Attribution(
                    order=order,
                    partnership_id=found.partnership_id,
                    rule=found.rule,
                    matched=found.matched[:300],
                )
            )
    # Two workers may attribute the same order at once: the first row stands.
    Attribution.objects.bulk_create(rows, ignore_conflicts=True)
    return {row.partnership_id for row in rows}
