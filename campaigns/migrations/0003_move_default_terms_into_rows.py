"""Every campaign's default terms JSON becomes its DefaultTerms row, and back."""

from django.db import migrations


def json_to_rows(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    DefaultTerms = apps.get_model("campaigns", "DefaultTerms")
    names = {f.name for f in DefaultTerms._meta.concrete_fields} - {"campaign"}
    rows = []
    for pk, terms in Campaign.objects.values_list("pk", "default_terms").iterator():
        # Keys the form never wrote, and empty values, fall back to the fields' defaults.
        values = {k: v for k, v in (terms or {}).items() if k in names and v is not None}
        rows.append(DefaultTerms(campaign_id=pk, **values))
    DefaultTerms.objects.bulk_create(rows, batch_size=500)


def rows_to_json(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    DefaultTerms = apps.get_model("campaigns", "DefaultTerms")
    names = [f.name for f in DefaultTerms._meta.concrete_fields if f.name != "campaign"]
    for row in DefaultTerms.objects.iterator():
        terms = {name: getattr(row, name) for name in names}
        Campaign.objects.filter(pk=row.campaign_id).update(default_terms=terms)
    DefaultTerms.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_default_terms_row")]

    operations = [migrations.RunPython(json_to_rows, rows_to_json)]
