"""The digest now goes through the one send-once path (accounts.SentEmail, keyed
"digest:<user>:<day>"). Carry the days already done over, so no digest goes out twice
across the upgrade, then drop the old table."""

from django.db import migrations


def carry_over(apps, schema_editor):
    DigestSend = apps.get_model("partnerships", "DigestSend")
    try:
        SentEmail = apps.get_model("accounts", "SentEmail")
    except LookupError:  # accounts' outbox migration ran first and renamed it
        SentEmail = apps.get_model("accounts", "OutgoingEmail")
    SentEmail.objects.bulk_create(
        [
            SentEmail(
                key=f"digest:{row.user_id}:{row.local_date.isoformat()}",
                claimed_at=row.claimed_at,
                sent_at=row.sent_at,
            )
            for row in DigestSend.objects.filter(sent_at__isnull=False)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sent_email"),
        ("partnerships", "0005_relationship_log"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DigestSend"),
    ]
