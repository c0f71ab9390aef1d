"""The campaign list's filters, from its query string.

A value that does not validate (an unknown status) is left out of the filtering and
shown as a form error; the other filters still apply.
"""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Campaign


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), max_length=100, method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Campaign.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Campaign
        fields: list[str] = []  # only the filters declared above

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(brand__icontains=value))
