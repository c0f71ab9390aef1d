import django.contrib.postgres.fields
import django.utils.timezone
from django.db import migrations, models


def count_old_rows_as_sent(apps, schema_editor):
    outgoing_email = apps.get_model("accounts", "OutgoingEmail")
    outgoing_email.objects.filter(sent_at=None).update(sent_at=django.utils.timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sent_email"),
    ]

    operations = [
        migrations.RenameModel(old_name="SentEmail", new_name="OutgoingEmail"),
        migrations.AlterModelOptions(
            name="outgoingemail",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "outgoing email",
                "verbose_name_plural": "outgoing emails",
            },
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="subject",
            field=models.CharField(blank=True, default="", max_length=998, verbose_name="subject"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="body",
            field=models.TextField(blank=True, default="", verbose_name="body"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="recipients",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.EmailField(max_length=254),
                blank=True,
                default=list,
                size=None,
                verbose_name="recipients",
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="send_after",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="not before"
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="last_error",
            field=models.TextField(blank=True, default="", verbose_name="last error"),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="failed"),
        ),
        # The old rows carry no content: count every one as sent (a claim left by a
        # killed worker included: its task would not have sent it either).
        migrations.RunPython(count_old_rows_as_sent, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.CheckConstraint(
                condition=models.Q(("sent_at", None), ("failed_at", None), _connector="OR"),
                name="outgoing_email_sent_or_failed",
            ),
        ),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("failed_at", None),
                    models.Q(("last_error", ""), _negated=True),
                    _connector="OR",
                ),
                name="outgoing_email_failed_has_error",
            ),
        ),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(
                condition=models.Q(("failed_at", None), ("sent_at", None)),
                fields=["send_after"],
                name="outgoing_email_pending_idx",
            ),
        ),
    ]
