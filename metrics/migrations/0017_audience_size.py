import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """An audience bucket's number is followers on Instagram but views and viewers on
    YouTube: `followers` becomes `size` (a rename; no row changes)."""

    dependencies = [
        ("metrics", "0016_youtube_analytics_paid_label"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="audiencebucket",
            name="audience_followers_bounded",
        ),
        migrations.RenameField(
            model_name="audiencebucket",
            old_name="followers",
            new_name="size",
        ),
        migrations.AlterModelOptions(
            name="audiencebucket",
            options={
                "ordering": ["channel", "dimension", "-size"],
                "verbose_name": "audience bucket",
                "verbose_name_plural": "audience buckets",
            },
        ),
        migrations.AlterField(
            model_name="audiencebucket",
            name="size",
            field=models.PositiveBigIntegerField(
                help_text="Followers (Instagram), or views and viewers (YouTube) in the bucket.",
                validators=[django.core.validators.MaxValueValidator(10000000000)],
                verbose_name="size",
            ),
        ),
        migrations.AddConstraint(
            model_name="audiencebucket",
            constraint=models.CheckConstraint(
                condition=models.Q(("size__lte", 10000000000)), name="audience_size_bounded"
            ),
        ),
    ]
