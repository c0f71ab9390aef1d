"""Who a channel reaches, as the platform reports it to the account owner, per country and
per age bucket, as of a day (first-party, so measured).

What a bucket's `size` counts depends on the platform (its `source`): Instagram counts
followers (`follower_demographics`); YouTube counts views by country and the share of
viewers by age (`viewerPercentage`, in hundredths of a percent), both over the 28 days
before `as_of`. Only the shares within one dimension, source and day are ever shown, so
the units never meet."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line
from influencers.models import Channel

from .records import source_validator

MAX_AUDIENCE = 10**10


class AudienceBucket(models.Model):
    class Dimension(models.TextChoices):
        COUNTRY = "country", _("Country")
        AGE = "age", _("Age")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="audience")
    dimension = models.CharField(_("by"), max_length=10, choices=Dimension.choices)
    bucket = models.CharField(  # "MY", "25-34"
        _("bucket"), max_length=20, validators=[validate_single_line]
    )
    size = models.PositiveBigIntegerField(
        _("size"),
        validators=[MaxValueValidator(MAX_AUDIENCE)],
        help_text=_("Followers (Instagram), or views and viewers (YouTube) in the bucket."),
    )
    as_of = models.DateField(_("as of"))
    source = models.CharField(
        _("source"), max_length=40, validators=[validate_single_line, source_validator]
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("audience bucket")
        verbose_name_plural = _("audience buckets")
        ordering = ["channel", "dimension", "-size"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "dimension", "bucket", "as_of", "source"],
                name="audience_one_per_bucket_and_day",
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=["country", "age"]), name="audience_known_dimension"
            ),
            models.CheckConstraint(
                condition=Q(size__lte=MAX_AUDIENCE), name="audience_size_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.bucket} = {self.size} ({self.as_of})"
