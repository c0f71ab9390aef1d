"""Numbers a marketer types in for what no collector measures (blog views, podcast
downloads, a story's screenshot): written through `records_upsert` as source manual,
one day bucket on the partnership, so typing it again for the same day corrects it."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnerships.models import Partnership

from ..models import Granularity, Metric, Source
from ..services import Row, records_upsert

# What can be typed in about a partnership; link clicks come from the links themselves.
MANUAL_METRICS = (
    Metric.VIEWS,
    Metric.ENGAGEMENTS,
    Metric.SESSIONS,
    Metric.USERS,
    Metric.CONVERSIONS,
    Metric.REVENUE,
)


def check_typed_in(*, metric: str, day: datetime.date) -> None:
    """The rules for a typed-in number, shared by the form and the CSV upload."""
    if metric not in MANUAL_METRICS:
        raise ValidationError({"metric": _("This number cannot be typed in.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("The day cannot be in the future.")})


def metric_enter_manual(
    *, partnership: Partnership, metric: str, day: datetime.date, value: Decimal, by: User
) -> None:
    if not by.can_edit:
        raise PermissionDenied
    check_typed_in(metric=metric, day=day)
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    records_upsert(
        [
            Row(
                metric=metric,
                at=midnight,
                value=value,
                source=Source.MANUAL,
                granularity=Granularity.DAY,
                partnership=partnership.pk,
            )
        ]
    )
