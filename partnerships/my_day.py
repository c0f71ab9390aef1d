""" "My day": what a marketer has to follow up on today. One query per section,
however much data there is; the daily digest emails the same thing."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from influencers.models import Influencer

from .models import (
    Acceptance,
    Contact,
    Deliverable,
    FollowUp,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)

OPEN = (Partnership.Status.ACCEPTED, Partnership.Status.ACTIVE)


@dataclass
class MyDay:
    today: datetime.date
    overdue: list[FollowUp] = field(default_factory=list)
    due_today: list[FollowUp] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)
    waiting_terms: list[TermsVersion] = field(default_factory=list)
    quiet: list[Partnership] = field(default_factory=list)
    invitations: list = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.overdue,
                self.due_today,
                self.deliverables,
                self.waiting_terms,
                self.quiet,
                self.invitations,
                self.shipments,
            )
        )


def my_day(user: User, today: datetime.date | None = None) -> MyDay:
    today = today or timezone.localdate()
    now = timezone.now()
    day = MyDay(today=today)
    follow_ups = list(
        FollowUp.objects.filter(assignee=user, done_at=None, due_on__lte=today)
        .select_related("influencer", "partnership__campaign", "assignee")
        .order_by("due_on", "pk")
    )
    day.overdue = [f for f in follow_ups if f.due_on < today]
    day.due_today = [f for f in follow_ups if f.due_on == today]
    day.deliverables = list(deliverables_due(user, today))
    day.waiting_terms = list(
        TermsVersion.objects.filter(
            partnership__owner=user,
            partnership__status__in=(Partnership.Status.PROPOSED, *OPEN),
            proposed_at__lt=now - datetime.timedelta(days=settings.MY_DAY_TERMS_WAITING_DAYS),
            acceptance__isnull=True,
        )
        .exclude(
            Exists(
                TermsVersion.objects.filter(
                    partnership=OuterRef("partnership"), number__gt=OuterRef("number")
                )
            )
        )
        .select_related("partnership__influencer", "partnership__campaign")
        .order_by("proposed_at")
    )
    last_contact = (
        Contact.objects.filter(influencer=OuterRef("influencer"))
        .order_by("-happened_at")
        .values("happened_at")[:1]
    )
    quiet_since = now - datetime.timedelta(days=settings.MY_DAY_QUIET_DAYS)
    day.quiet = list(
        Partnership.objects.filter(owner=user, status=Partnership.Status.ACTIVE)
        .annotate(last_contact=Subquery(last_contact))
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=quiet_since))
        .select_related("influencer", "campaign")
        .order_by("last_contact", "pk")
    )
    day.shipments = list(
        Shipment.objects.filter(
            partnership__owner=user,
            status=Shipment.Status.SENT,
            sent_on__lt=today - datetime.timedelta(days=settings.MY_DAY_SHIPMENT_DAYS),
        )
        .select_related("partnership__influencer", "partnership__campaign")
        .order_by("sent_on")
    )
    day.invitations = list(pending_invitations(user))
    return day


def deliverables_due(user: User, today: datetime.date) -> QuerySet[Deliverable]:
    """Deliverables of the terms in force, due within a week (or late), not all handed in."""
    newer_acceptance = Acceptance.objects.filter(
        partnership=OuterRef("version__partnership"),
        version__number__gt=OuterRef("version__number"),
    )
    return (
        Deliverable.objects.filter(
            version__partnership__owner=user,
            version__partnership__status__in=OPEN,
            version__acceptance__isnull=False,
            due_on__lte=today + datetime.timedelta(days=7),
        )
        .exclude(Exists(newer_acceptance))
        .annotate(
            handed_in=Count(
                "submissions", filter=~Q(submissions__status=Submission.Status.NEEDS_FIX)
            )
        )
        .filter(handed_in__lt=F("quantity"))
        .select_related(
            "channel", "version__partnership__influencer", "version__partnership__campaign"
        )
        .order_by("due_on", "pk")
    )


def pending_invitations(user: User) -> QuerySet[Influencer]:
    """Influencers this marketer owns who were invited to the portal but never joined."""
    return (
        Influencer.objects.filter(owner=user, user__isnull=False, user__last_login__isnull=True)
        .annotate(invited_at=Max("user__invitations__created_at"))
        .filter(invited_at__isnull=False)
        .order_by("invited_at")
    )
