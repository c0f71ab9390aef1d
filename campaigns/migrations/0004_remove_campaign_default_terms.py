from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_move_default_terms_into_rows")]

    operations = [
        migrations.RemoveField(model_name="campaign", name="default_terms"),
        migrations.AlterField(
            model_name="defaultterms",
            name="campaign",
            field=models.OneToOneField(
                on_delete=models.deletion.CASCADE,
                primary_key=True,
                related_name="default_terms",
                serialize=False,
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
    ]
