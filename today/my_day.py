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
    shipments_unconfirmed,
    submissions_to_review,
)
from partnerships.models import (
    Deliverable,
    FollowUp,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)
from partnerships.relationships.selectors import follow_ups_due, quiet_partnerships
from partnerships.selectors import terms_waiting


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

    @property
    def count(self) -> int:
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
