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


def lifetime(kind: str, post: str, day: datetime.date) -> int:
    """A post's lifetime count on a day, for any post id (the fake cannot know when a
    post went out): a base per post plus a steady daily gain, so it grows every day and
    is the same for the same day. Likes are a few percent of views, comments of likes."""
    days = max(0, (day - EPOCH).days)
    views = 800 + seed("views", post) % 5_000 + (20 + seed("rate", post) % 60) * days
    if kind == "views":
        return views
    likes = views * (3 + seed("likes", post) % 6) // 100
    if kind == "likes":
        return likes
    return likes * (2 + seed("comments", post) % 5) // 100


def today() -> datetime.date:
    return datetime.date.today()
