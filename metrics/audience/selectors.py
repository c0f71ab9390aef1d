"""Reads of audience buckets: the latest day's share per country and age of a channel."""

from dataclasses import dataclass, field
from datetime import date

from ..models import AudienceBucket

TOP = 5


@dataclass
class Audience:
    as_of: date
    source: str
    countries: list[tuple[str, int]] = field(default_factory=list)  # (bucket, percent)
    ages: list[tuple[str, int]] = field(default_factory=list)


def audiences_of(channel_ids: list[int]) -> dict[int, Audience]:
    """channel id -> its latest audience (one query), the top buckets as whole percents."""
    rows = list(
        AudienceBucket.objects.filter(channel_id__in=channel_ids).order_by(
            "channel_id", "-as_of", "dimension", "-size", "bucket"
        )
    )
    latest: dict[int, date] = {}
    grouped: dict[tuple[int, str], list[AudienceBucket]] = {}
    for row in rows:
        latest.setdefault(row.channel_id, row.as_of)
        if row.as_of == latest[row.channel_id]:
            grouped.setdefault((row.channel_id, row.dimension), []).append(row)
    result: dict[int, Audience] = {}
    for (channel_id, dimension), buckets in grouped.items():
        total = sum(b.size for b in buckets) or 1
        audience = result.setdefault(
            channel_id, Audience(as_of=latest[channel_id], source=buckets[0].source)
        )
        shares = [(b.bucket, b.size * 100 // total) for b in buckets]
        if dimension == AudienceBucket.Dimension.COUNTRY:
            audience.countries = shares[:TOP]
        else:
            audience.ages = sorted(shares, key=lambda s: s[0])
    return result
