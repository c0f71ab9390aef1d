""" "My day": what a marketer has to follow up on today, gathered from every app.

Each app offers its part as a selector (one query each, however much data there is);
this module only composes them. The daily digest emails the same thing.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from influencers.models import Influencer
from influencers.selectors import pending_invitations
from partnerships.delivery.selectors import (
    deliverables_due,
    deliverables_overdue_count,
    shipments_unconfirmed,
    submissions_to_review,
    submissions_to_review_count,
)
from partnerships.models import (
    Deliverable,
    FollowUp,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)
from partnerships.relationships.selectors import (
    follow_ups_due,
    follow_ups_overdue_count,
    quiet_partnerships,
)
from partnerships.selectors import terms_waiting, terms_waiting_count


@dataclass
class TeamOverview:
    """What a read-only viewer sees: the team's backlog as counts, nothing to act on."""

    overdue_follow_ups: int = 0
    overdue_deliverables: int = 0
    to_review: int = 0
    waiting_terms: int = 0

    @property
    def count(self) -> int:
        return (
            self.overdue_follow_ups
            + self.overdue_deliverables
            + self.to_review
            + self.waiting_terms
        )


@dataclass
class MyDay:
    today: datetime.date
    overdue: list[FollowUp] = field(default_factory=list)
    due_today: list[FollowUp] = field(default_factory=list)
    # Due within a week; the late ones apart, so they are never read as "this week".
    overdue_deliverables: list[Deliverable] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)
    to_review: list[Submission] = field(default_factory=list)
    waiting_terms: list[TermsVersion] = field(default_factory=list)
    quiet: list[Partnership] = field(default_factory=list)
    invitations: list[Influencer] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    # Only for a viewer, who owns nothing: the team's overview instead of the lists above.
    team: TeamOverview | None = None

    @property
    def count(self) -> int:
        if self.team is not None:
            return self.team.count
        return sum(
            len(items)
            for items in (
                self.overdue,
                self.due_today,
                self.overdue_deliverables,
                self.deliverables,
                self.to_review,
                self.waiting_terms,
                self.quiet,
                self.invitations,
                self.shipments,
            )
        )


def my_day(user: User, today: datetime.date | None = None) -> MyDay:
    today = today or timezone.localdate()
    now = timezone.now()
    if not user.can_edit:
        return MyDay(today=today, team=team_overview(today, now))
    follow_ups = follow_ups_due(user, today)
    deliverables = list(deliverables_due(user, today))
    return MyDay(
        today=today,
        overdue=[f for f in follow_ups if f.due_on < today],
        due_today=[f for f in follow_ups if f.due_on == today],
        overdue_deliverables=[d for d in deliverables if d.due_on < today],
        deliverables=[d for d in deliverables if d.due_on >= today],
        to_review=submissions_to_review(user),
        waiting_terms=terms_waiting(user, now),
        quiet=quiet_partnerships(user, now),
        invitations=list(pending_invitations(user)),
        shipments=shipments_unconfirmed(user, today),
    )


def team_overview(today: datetime.date, now: datetime.datetime) -> TeamOverview:
    return TeamOverview(
        overdue_follow_ups=follow_ups_overdue_count(today),
        overdue_deliverables=deliverables_overdue_count(today),
        to_review=submissions_to_review_count(),
        waiting_terms=terms_waiting_count(now),
    )
