"""The partnerships section of an influencer's profile: their history across campaigns.

The influencers app sits below partnerships and cannot import it, so its profile page
includes this tag by name.
"""

import datetime
from dataclasses import dataclass

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from influencers.models import Influencer
from partnerships.models import Partnership, TermsVersion
from partnerships.selectors import Cost, partnership_cost, terms_state_of

register = template.Library()

# Offers that went nowhere are listed but are not part of the working relationship.
NOT_WORKED = {Partnership.Status.DECLINED, Partnership.Status.CANCELLED}


@dataclass
class Row:
    partnership: Partnership
    cost: Cost


@dataclass
class Relationship:
    rows: list[Row]
    months: int | None
    repeats: int


def influencer_relationship(influencer: Influencer, today: datetime.date) -> Relationship:
    """Every partnership with its cost, in a fixed number of queries however many there are."""
    partnerships = list(
        Partnership.objects.filter(influencer=influencer)
        .select_related("campaign")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=TermsVersion.objects.select_related("acceptance")
                .prefetch_related("compensation")
                .order_by("number"),
            ),
            "shipments",
            "payments",
        )
        .order_by("-campaign__starts_on", "-pk")
    )
    rows = [
        Row(p, partnership_cost(p, terms_state_of(list(p.versions.all())).costed))
        for p in partnerships
    ]
    worked = [p for p in partnerships if p.status not in NOT_WORKED]
    months = None
    if worked:
        start = min(p.campaign.starts_on for p in worked)
        end = max(p.campaign.ends_on for p in worked)
        months = months_between(start, min(end, today) if today >= start else end)
    return Relationship(rows=rows, months=months, repeats=max(len(worked) - 1, 0))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` inclusive; at least one."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    return max(months, 1)


@register.inclusion_tag("partnerships/_influencer_partnerships.html", takes_context=True)
def influencer_partnerships_panel(context, influencer: Influencer) -> dict:
    relationship = influencer_relationship(influencer, timezone.localdate())
    return {
        "influencer": influencer,
        "relationship": relationship,
        "user": context.get("user"),
    }
