"""The partnership list's filters, from its query string.

A value that does not validate (an unknown status or campaign) is left out of the
filtering and shown as a form error; the other filters still apply.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

from .models import Partnership


class PartnershipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Partnership.Status.choices, empty_label=_("Any status")
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-starts_on"),
        empty_label=_("Any campaign"),
    )
    q = django_filters.CharFilter(
        label=_("Influencer"),
        field_name="influencer__name",
        lookup_expr="icontains",
        max_length=100,
    )

    class Meta:
        model = Partnership
        fields: list[str] = []  # only the filters declared above
