"""One module per provider. Each turns the provider's answers into `metrics.services.Row`s.

Every adapter function makes the calls one answer needs (following pagination), checks
the answer's shape, and returns the rows (and, for channels and posts, `PostDetails` and
`ChannelDetails` beside them: caption, permalink, thumbnail, picture; `AudienceDetails`:
who the channel reaches), or raises a
`collectors.errors` type. The
caller (`collectors.pulling`) writes one answer's rows with one `records_upsert` call,
so an answer found malformed half way writes nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from metrics.models import Granularity, TrackedLink
from metrics.services import Row

from ..errors import Malformed


@dataclass(frozen=True)
class PostDetails:
    """What an answer tells about a tracked post besides its numbers (post capture)."""

    post: int
    caption: str | None = None
    permalink: str = ""
    published_at: datetime.datetime | None = None
    thumbnail_url: str = ""
    paid_label: bool | None = None  # the platform's paid-partnership label, where it tells


@dataclass(frozen=True)
class AudienceDetails:
    """Who the channel reaches by one dimension (country, age), as of today: bucket -> size
    (`metrics.AudienceBucket`)."""

    channel: int
    dimension: str
    buckets: dict[str, int]
    source: str


@dataclass(frozen=True)
class ChannelDetails:
    """What an answer tells about the channel: its follower count and picture."""

    channel: int
    followers: int | None = None
    picture_url: str = ""


def text(value) -> str:
    return value if isinstance(value, str) else ""


def parse_time(value) -> datetime.datetime | None:
    """An ISO 8601 time as YouTube (`…Z`) or Instagram (`…+0000`) sends it, else None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    return parsed if parsed.tzinfo else None


@dataclass(frozen=True)
class Window:
    """The days a traffic pull asks for, inclusive."""

    since: datetime.date
    until: datetime.date


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def number(value, what: str) -> Decimal:
    """A count as providers send it: an int, or a string of digits (YouTube, GA4, which
    may also say "7.0"). Anything else (None, a bool, "n/a", a negative) is Malformed."""
    if isinstance(value, bool) or value is None:
        raise Malformed(f"The provider sent no number for {what}.")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise Malformed(f"The provider sent something that is not a number for {what}.") from None
    if not result.is_finite() or result < 0:
        raise Malformed(f"The provider sent an impossible number for {what}.")
    return result


def parse_day(value, fmt: str = "%Y-%m-%d") -> datetime.date:
    try:
        return datetime.datetime.strptime(str(value), fmt).date()
    except ValueError:
        raise Malformed("The provider sent a day that is not a date.") from None


@dataclass
class TrafficTargets:
    """Where traffic per UTM lands: campaigns by utm_campaign and partnerships by
    (utm_campaign, utm_content) of their tracked links. Matched case-insensitively
    (Matomo lowercases campaign names)."""

    campaigns: dict[str, int] = field(default_factory=dict)
    partnerships: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, campaigns) -> "TrafficTargets":
        targets = cls(campaigns={c.utm_campaign.lower(): c.pk for c in campaigns})
        links = TrackedLink.objects.filter(
            partnership__campaign__in=list(targets.campaigns.values())
        ).exclude(utm_content="")
        for slug, content, partnership in links.values_list(
            "utm_campaign", "utm_content", "partnership_id"
        ):
            targets.partnerships[(slug.lower(), content.lower())] = partnership
        return targets


class TrafficTotals:
    """Sums per (subject, metric, day): one row each, whatever the answer's breakdown."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sums: dict[tuple[str, int, str, datetime.date], Decimal] = {}

    def add(self, subject: str, pk: int, metric: str, day: datetime.date, value) -> None:
        key = (subject, pk, metric, day)
        self.sums[key] = self.sums.get(key, Decimal(0)) + value

    def rows(self) -> list[Row]:
        return [
            Row(
                metric=metric,
                at=day_start(day),
                value=value,
                source=self.source,
                granularity=Granularity.DAY,
                **{subject: pk},
            )
            for (subject, pk, metric, day), value in sorted(self.sums.items())
        ]
