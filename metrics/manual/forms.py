from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Metric
from ..models.records import MAX_VALUE
from .csv_entry import COLUMNS as CSV_COLUMNS
from .services import MANUAL_METRICS


class ManualMetricForm(forms.Form):
    metric = forms.ChoiceField(
        label=_("Metric"), choices=[(m.value, m.label) for m in MANUAL_METRICS]
    )
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For views and engagements, the total as of that day; for the others, what "
            "happened on that day. Typing a number again for the same day replaces it."
        ),
    )
    value = forms.DecimalField(
        label=_("Value"), min_value=0, max_value=MAX_VALUE, max_digits=16, decimal_places=2
    )

    def metric_label(self) -> str:
        return str(Metric(self.cleaned_data["metric"]).label)


class MetricCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        # crispy renders help text unescaped; the column names are literals, shown as code.
        help_text=format_lazy(
            _(
                "Columns {columns}, as in the template. Rows with no value are skipped. "
                "Uploading again for the same day replaces the number."
            ),
            columns=", ".join(f"<code>{name}</code>" for name in CSV_COLUMNS),
        ),
    )
