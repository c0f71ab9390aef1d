"""The store of numbers: one row per (subject, metric, bucket, source).

A subject is exactly one of a channel, a published post, a tracked link, a partnership
or a campaign (its landing page or site): explicit nullable foreign keys with a check
that exactly one is set, so every record joins to its subject with an ordinary index and
a deleted subject cannot leave orphans.

Two kinds of number must never be added up the same way, so the kind is a column,
fixed by the metric (a check constraint ties them):

- LIFETIME counters (a post's likes, a channel's followers): each bucket holds the
  total as measured then; the current value is the latest bucket, never a sum.
- PER_BUCKET counts (a day's sessions, an hour's clicks): each bucket holds what
  happened in it; the current value is the sum of the buckets.

Every write goes through `metrics.services.records_upsert`: the unique key makes a
repeated write an update, never a second row.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from common.validators import validate_single_line
from influencers.models import Channel
from partnerships.models import Partnership

# numeric(16, 2): counts and money alike; a value past 10^12 is a typo or a bug.
MAX_VALUE = Decimal("999999999999.99")

SUBJECTS = ("channel", "post", "link", "partnership", "campaign")


class Metric(models.TextChoices):
    FOLLOWERS = "followers", _("Followers")
    VIEWS = "views", _("Views")
    REACH = "reach", _("Reach")
    LIKES = "likes", _("Likes")
    COMMENTS = "comments", _("Comments")
    SHARES = "shares", _("Shares")
    SAVES = "saves", _("Saves")
    # YouTube Analytics (the creator's own login): minutes watched, and the average
    # seconds a view lasted, both over the video's life.
    WATCH_MINUTES = "watch_minutes", _("Watch time (minutes)")
    AVG_VIEW_SECONDS = "avg_view_seconds", _("Average view duration (seconds)")
    ENGAGEMENTS = "engagements", _("Engagements")
    LINK_CLICKS_HUMAN = "link_clicks_human", _("Link clicks (people)")
    LINK_CLICKS_BOT = "link_clicks_bot", _("Link clicks (bots and previews)")
    LINK_VISITORS = "link_visitors", _("Unique link visitors")
    SESSIONS = "sessions", _("Sessions")
    USERS = "users", _("Users")
    CONVERSIONS = "conversions", _("Conversions")
    REVENUE = "revenue", _("Revenue")


class Kind(models.TextChoices):
    LIFETIME = "lifetime", _("Lifetime total")
    PER_BUCKET = "per_bucket", _("Count per bucket")


# What a platform reports about a post or an account is a running total.
LIFETIME_METRICS = frozenset(
    {
        Metric.FOLLOWERS,
        Metric.VIEWS,
        Metric.REACH,
        Metric.LIKES,
        Metric.COMMENTS,
        Metric.SHARES,
        Metric.SAVES,
        Metric.ENGAGEMENTS,
        Metric.WATCH_MINUTES,
        Metric.AVG_VIEW_SECONDS,  # an average, never added up: the latest reading stands
    }
)


def kind_of(metric: str) -> str:
    return Kind.LIFETIME if metric in LIFETIME_METRICS else Kind.PER_BUCKET


class Granularity(models.TextChoices):
    HOUR = "hour", _("Hour")
    DAY = "day", _("Day")


class Source:
    """Where a number came from. Collectors write their own name (e.g. "instagram")."""

    OWN_CLICKS = "own_clicks"
    MANUAL = "manual"
    CSV = "csv"
    SHOP = "shop"


source_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]{0,39}\Z", _("A source is a short lowercase name.")
)


def bucket_start_of(at: datetime.datetime, granularity: str) -> datetime.datetime:
    """The start of the bucket `at` falls in: the hour, or local midnight for a day."""
    local = timezone.localtime(at)
    if granularity == Granularity.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    midnight = datetime.datetime.combine(local.date(), datetime.time())
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def _exactly_one_subject() -> Q:
    """One subject column set, the others NULL."""
    either = Q()
    for name in SUBJECTS:
        either |= Q(**{f"{name}__isnull": False}, **{o: None for o in SUBJECTS if o != name})
    return either


class MetricRecord(models.Model):
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="metric_records"
    )
    post = models.ForeignKey(
        "metrics.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="metric_records",
    )
    link = models.ForeignKey(
        "metrics.TrackedLink",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="metric_records",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="metric_records"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="metric_records"
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, editable=False)
    granularity = models.CharField(
        _("granularity"), max_length=5, choices=Granularity.choices, default=Granularity.DAY
    )
    bucket_start = models.DateTimeField(_("bucket start"))
    value = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_VALUE)],
    )
    source = models.CharField(
        _("source"), max_length=40, validators=[validate_single_line, source_validator]
    )
    estimated = models.BooleanField(_("estimated"), default=False)
    recorded_at = models.DateTimeField(_("last written"), default=timezone.now)
    # Decided when written (`records_upsert`, the retention fold), so pages read plain
    # sums: `counted` marks the one record of its bucket that counts (measured before
    # typed, then the one written last); `latest` the one record of a subject's metric
    # a lifetime counter reads (the newest bucket, chosen the same way). See
    # `metrics.winners`.
    counted = models.BooleanField(_("counted"), db_default=True, editable=False)
    latest = models.BooleanField(_("latest"), db_default=False, editable=False)

    class Meta:
        verbose_name = _("metric record")
        verbose_name_plural = _("metric records")
        constraints = [
            # NULLS NOT DISTINCT: the unset subject columns compare equal, so the key is
            # (the one subject, metric, bucket, source) and ON CONFLICT can find it.
            models.UniqueConstraint(
                fields=[*SUBJECTS, "metric", "granularity", "bucket_start", "source"],
                name="metric_record_one_per_key",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=_exactly_one_subject(),
                name="metric_record_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.LIFETIME, metric__in=sorted(LIFETIME_METRICS))
                    | (Q(kind=Kind.PER_BUCKET) & ~Q(metric__in=sorted(LIFETIME_METRICS)))
                ),
                name="metric_record_kind_follows_metric",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=MAX_VALUE), name="metric_record_value_bounds"
            ),
            models.CheckConstraint(
                condition=Q(metric__in=Metric.values), name="metric_record_known_metric"
            ),
        ]
        # The subject indexes are partial: each holds only the rows about its kind of
        # subject (a full one would carry every other row under NULL). A channel's
        # records are found through the unique key, which channel_id leads.
        indexes = [
            models.Index(
                fields=["post", "metric", "bucket_start"],
                name="metric_rec_post_idx",
                condition=Q(post__isnull=False),
            ),
            models.Index(
                fields=["link", "metric", "bucket_start"],
                name="metric_rec_link_idx",
                condition=Q(link__isnull=False),
            ),
            models.Index(
                fields=["partnership", "metric", "bucket_start"],
                name="metric_rec_pship_idx",
                condition=Q(partnership__isnull=False),
            ),
            models.Index(
                fields=["campaign", "metric", "bucket_start"],
                name="metric_rec_campaign_idx",
                condition=Q(campaign__isnull=False),
            ),
            # Each subject's latest lifetime records: a handful of rows per subject.
            *(
                models.Index(
                    fields=[name, "metric"],
                    name=f"metric_rec_{name[:5]}_latest_idx",
                    condition=Q(**{f"{name}__isnull": False}, latest=True),
                )
                for name in SUBJECTS
            ),
            # The hour buckets by age, for the retention that folds them into days.
            models.Index(
                fields=["bucket_start"],
                name="metric_rec_hours_idx",
                condition=Q(granularity=Granularity.HOUR),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.bucket_start:%Y-%m-%d %H:%M} = {self.value} ({self.source})"

    def clean(self) -> None:
        set_subjects = [name for name in SUBJECTS if getattr(self, f"{name}_id") is not None]
        if len(set_subjects) != 1:
            raise ValidationError(_("A record is about exactly one subject."))
        if self.bucket_start is not None and self.bucket_start != bucket_start_of(
            self.bucket_start, self.granularity
        ):
            raise ValidationError(
                {"bucket_start": _("A bucket starts on the hour, or at midnight for a day.")}
            )
