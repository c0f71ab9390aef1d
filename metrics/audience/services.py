"""Writes of audience buckets: one call per answer replaces that day's buckets."""

import datetime

from django.db import transaction

from ..models import AudienceBucket


@transaction.atomic
def audience_record(
    *, channel_id: int, dimension: str, as_of: datetime.date, source: str, buckets: dict[str, int]
) -> int:
    """Store what the platform reported for one dimension on one day (a bucket no longer
    reported that day goes). Returns how many buckets were written."""
    AudienceBucket.objects.filter(
        channel_id=channel_id, dimension=dimension, as_of=as_of, source=source
    ).exclude(bucket__in=list(buckets)).delete()
    for bucket, size in buckets.items():
        row = AudienceBucket(
            channel_id=channel_id, dimension=dimension, bucket=str(bucket)[:20],
            size=size, as_of=as_of, source=source,
        )  # fmt: skip
        row.full_clean(validate_unique=False, validate_constraints=False)
        AudienceBucket.objects.update_or_create(
            channel_id=channel_id, dimension=dimension, bucket=row.bucket, as_of=as_of,
            source=source, defaults={"size": size},
        )  # fmt: skip
    return len(buckets)
