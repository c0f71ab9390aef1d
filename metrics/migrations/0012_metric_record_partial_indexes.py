"""Partial subject indexes (each holds only the rows about its kind of subject) and an
index of the hour buckets by age, for the retention that folds them into days.

Built CONCURRENTLY, the new ones before the old ones go, so a big table keeps taking
writes and its pages keep an index throughout (hence atomic = False)."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("metrics", "0011_settlements_frozen")]

    operations = [
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("post__isnull", False)),
                fields=["post", "metric", "bucket_start"],
                name="metric_rec_post_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("link__isnull", False)),
                fields=["link", "metric", "bucket_start"],
                name="metric_rec_link_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("partnership__isnull", False)),
                fields=["partnership", "metric", "bucket_start"],
                name="metric_rec_pship_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("campaign__isnull", False)),
                fields=["campaign", "metric", "bucket_start"],
                name="metric_rec_campaign_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("granularity", "hour")),
                fields=["bucket_start"],
                name="metric_rec_hours_idx",
            ),
        ),
        RemoveIndexConcurrently(model_name="metricrecord", name="metric_record_post_idx"),
        RemoveIndexConcurrently(model_name="metricrecord", name="metric_record_link_idx"),
        RemoveIndexConcurrently(model_name="metricrecord", name="metric_record_pship_idx"),
        RemoveIndexConcurrently(model_name="metricrecord", name="metric_record_campaign_idx"),
    ]
