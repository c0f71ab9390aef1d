"""Plausible numbers that grow day by day, the same for the same inputs (no randomness)."""

import datetime
import zlib

EPOCH = datetime.date(2026, 1, 1)


def seed(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode())


def followers(account: str, day: datetime.date) -> int:
    return 5_000 + seed(account) % 20_000 + 12 * max(0, (day - EPOCH).days)


def daily(kind: str, day: datetime.date, *parts: str) -> int:
    """A day's count (sessions, visitors…): a base per subject plus a weekly wave."""
    base = 10 + seed(kind, *parts) % 40
    return base + (day.toordinal() % 7) * 3


def post_total(kind: str, post: str, day: datetime.date, published: datetime.date) -> int:
    """A post's lifetime count: grows fast the first days, then slowly."""
    age = max(0, (day - published).days)
    scale = 50 + seed(kind, post) % 500
    return scale * min(age, 10) + scale // 10 * max(0, age - 10) + seed(post) % 50


def today() -> datetime.date:
    return datetime.date.today()
