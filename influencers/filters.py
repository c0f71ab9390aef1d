"""The roster's filters, from the query string of the list page and the CSV export.

A value that does not validate (an unknown stage, a word for a number) is left out
of the filtering and shown as a form error; the other filters still apply.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import marketer_choices
from .models import Influencer, Platform, Stage

# ?sort= value -> label and ordering (the tie-breakers keep pagination stable).
SORTS = {
    "name": (_("Name"), ["name", "pk"]),
    "-followers": (_("Most followers"), ["-max_followers", "name", "pk"]),
    "followers": (_("Fewest followers"), ["max_followers", "name", "pk"]),
    "-created": (_("Newest"), ["-created_at", "pk"]),
    "stage": (_("Stage"), ["stage", "name", "pk"]),
}


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (NumberFilter would accept decimals)."""

    field_class = forms.IntegerField


class InfluencerFilter(django_filters.FilterSet):
    """Filters a queryset from `selectors.influencer_list` (it has `max_followers`)."""

    q = django_filters.CharFilter(label=_("Search"), max_length=100, method="filter_search")
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage")
    )
    platform = django_filters.ChoiceFilter(
        label=_("Platform"),
        field_name="channels__platform",
        choices=Platform.choices,
        empty_label=_("Any platform"),
        distinct=True,  # one row per influencer, however many channels match
    )
    niche = django_filters.CharFilter(label=_("Niche"), max_length=40, method="filter_niche")
    country = django_filters.CharFilter(label=_("Country"), max_length=60, lookup_expr="iexact")
    min_followers = IntegerFilter(
        label=_("Min followers"), field_name="max_followers", lookup_expr="gte", min_value=0
    )
    max_followers = IntegerFilter(
        label=_("Max followers"), field_name="max_followers", lookup_expr="lte", min_value=0
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=lambda request: marketer_choices(), empty_label=_("Anyone")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
        empty_label=None,  # no sort given: the selector's order, by name
        method="filter_sort",
    )

    class Meta:
        model = Influencer
        fields: list[str] = []  # only the filters declared above

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_niche(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(niches__contains=[value.lower()])

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS[value][1])
