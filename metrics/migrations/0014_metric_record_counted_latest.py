"""The counted and latest flags of the store of numbers (see `metrics.winners`), set for
every record there is, and small partial indexes of each subject's latest records.

Adding a column with a constant default does not rewrite the table; the two UPDATEs
choose the records that count (one per bucket: measured before typed, then the one
written last) and the latest record of each lifetime counter (the newest bucket, chosen
the same way). The indexes are built CONCURRENTLY (hence atomic = False)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

# The SQL of metrics.winners.REFRESH_ALL when this was written.
COUNTED = """UPDATE metrics_metricrecord AS m SET counted = false FROM (
        SELECT r.id, row_number() OVER (
            PARTITION BY r.channel_id, r.post_id, r.link_id, r.partnership_id, r.campaign_id, r.metric,
                r.granularity, r.bucket_start
            ORDER BY r.source IN ('manual', 'csv'), r.recorded_at DESC, r.id DESC
        ) AS n FROM metrics_metricrecord r
    ) AS w WHERE m.id = w.id AND w.n > 1"""

LATEST = """UPDATE metrics_metricrecord AS m SET latest = true FROM (
        SELECT DISTINCT ON (r.channel_id, r.post_id, r.link_id, r.partnership_id, r.campaign_id, r.metric) r.id
        FROM metrics_metricrecord r WHERE r.kind = 'lifetime'
        ORDER BY r.channel_id, r.post_id, r.link_id, r.partnership_id, r.campaign_id, r.metric,
            r.bucket_start DESC, r.source IN ('manual', 'csv'), r.recorded_at DESC, r.id DESC
    ) AS w WHERE m.id = w.id"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("campaigns", "0005_bounds_and_single_line_text"),
        ("influencers", "0004_search_trigram_indexes"),
        ("metrics", "0013_hourly_fold_schedule"),
        ("partnerships", "0010_bounds_and_single_line_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="metricrecord",
            name="counted",
            field=models.BooleanField(db_default=True, editable=False, verbose_name="counted"),
        ),
        migrations.AddField(
            model_name="metricrecord",
            name="latest",
            field=models.BooleanField(db_default=False, editable=False, verbose_name="latest"),
        ),
        migrations.RunSQL(COUNTED, migrations.RunSQL.noop),
        migrations.RunSQL(LATEST, migrations.RunSQL.noop),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("channel__isnull", False), ("latest", True)),
                fields=["channel", "metric"],
                name="metric_rec_chann_latest_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("latest", True), ("post__isnull", False)),
                fields=["post", "metric"],
                name="metric_rec_post_latest_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("latest", True), ("link__isnull", False)),
                fields=["link", "metric"],
                name="metric_rec_link_latest_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("latest", True), ("partnership__isnull", False)),
                fields=["partnership", "metric"],
                name="metric_rec_partn_latest_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="metricrecord",
            index=models.Index(
                condition=models.Q(("campaign__isnull", False), ("latest", True)),
                fields=["campaign", "metric"],
                name="metric_rec_campa_latest_idx",
            ),
        ),
    ]
