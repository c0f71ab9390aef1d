"""Reads of published posts: a partnership's posts with each one's latest numbers."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from accounts.models import User
from common import formatting
from partnerships.models import Partnership

from ..models import Metric, MetricRecord, Post
from ..models.records import Kind
from . import disclosure

# What a post card shows, in this order, when the platform reports it.
POST_METRICS = (
    "views", "reach", "likes", "comments", "shares", "saves", "engagements",
    "watch_minutes", "avg_view_seconds",
)  # fmt: skip


@dataclass
class PostNumbers:
    post: Post
    numbers: dict[str, Decimal] = field(default_factory=dict)
    as_of: datetime | None = None
    disclosure_missed: str = ""  # the rule of the terms in force the caption misses

    @property
    def shown(self) -> list[tuple[str, str]]:
        """(label, text) of each number recorded, in the card's order."""
        return [
            (SHORT_LABELS.get(m) or Metric(m).label, _text(m, self.numbers[m]))
            for m in POST_METRICS
            if m in self.numbers
        ]


# The card writes the unit into the number ("3 min 5 s"), so its label goes without.
SHORT_LABELS = {Metric.AVG_VIEW_SECONDS: gettext_lazy("Average view duration")}


def _text(metric: str, value: Decimal) -> str:
    if metric == Metric.AVG_VIEW_SECONDS:
        return formatting.duration_text(value)
    return formatting.count_text(value)


def post_for_user(user: User, pk: int) -> Post:
    visible = Partnership.objects.visible_to(user)
    return get_object_or_404(Post.objects.filter(partnership__in=visible), pk=pk)


def posts_of(partnership: Partnership) -> list[PostNumbers]:
    """The partnership's posts, newest first, each with the latest value of every
    lifetime counter recorded on it (two queries, whatever the number of posts)."""
    posts = list(
        partnership.posts.select_related("channel", "submission__deliverable").order_by(
            "-published_at", "-created_at", "-pk"
        )
    )
    if not posts:
        return []
    by_post = {post.pk: PostNumbers(post) for post in posts}
    latest = (
        # The latest record of each counter (newest bucket, measured before typed),
        # chosen when written: metrics.winners.
        MetricRecord.objects.filter(post__in=list(by_post), kind=Kind.LIFETIME, latest=True)
        .order_by()
        .values_list("post_id", "metric", "value", "recorded_at")
    )
    for post_id, metric, value, recorded_at in latest:
        entry = by_post[post_id]
        entry.numbers[metric] = value
        if entry.as_of is None or recorded_at > entry.as_of:
            entry.as_of = recorded_at
    # The disclosure check: one more query, only when a caption was captured.
    rule = disclosure.rule_in_force(partnership.pk) if any(p.caption for p in posts) else ""
    if rule:
        for entry in by_post.values():
            entry.disclosure_missed = disclosure.missed(
                entry.post.caption, rule, paid_label=entry.post.paid_label
            )
    return list(by_post.values())
