""" "My day": what a marketer has to follow up on today, gathered from every app.

Each app offers its part as a selector (one query each, however much data there is);
this module only composes them. The daily digest emails the same thing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, OrderBy, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
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
    with_links,
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


# Rows shown per section; the rest are counted and linked ("and 12 more"), so the page
# costs the same however large a marketer's backlog grows.
SECTION_LIMIT = 10
# Rows per page of one section opened on its own (?section=…).
SECTION_PAGE_SIZE = 50


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
    # How many items each section has in all (it shows at most SECTION_LIMIT of them).
    totals: dict[str, int] = field(default_factory=dict)
    # One section opened on its own, a page at a time: its pagination links the rest.
    paged: bool = False
    # Only for a viewer, who owns nothing: the team's overview instead of the lists above.
    team: TeamOverview | None = None

    @property
    def count(self) -> int:
        if self.team is not None:
            return self.team.count
        return sum(self.totals.values())

    @property
    def more(self) -> dict[str, int]:
        """Per section, how many items are not shown (and linked as "and N more")."""
        if self.paged:
            return {}
        return {name: total - len(getattr(self, name)) for name, total in self.totals.items()}


def _sections(
    user: User, today: datetime.date, now: datetime.datetime
) -> dict[str, Callable[[], QuerySet]]:
    """Each section of My day as a query, in the order of the page; built only when asked
    for (building a queryset costs a few milliseconds here, and my_day() asks for the two
    deliverable sections as one query)."""
    return {
        "overdue": lambda: follow_ups_due(user, today).filter(due_on__lt=today),
        "due_today": lambda: follow_ups_due(user, today).filter(due_on=today),
        "overdue_deliverables": lambda: deliverables_due(user, today).filter(due_on__lt=today),
        "deliverables": lambda: deliverables_due(user, today).filter(due_on__gte=today),
        "to_review": lambda: submissions_to_review(user),
        "waiting_terms": lambda: terms_waiting(user, now),
        "quiet": lambda: quiet_partnerships(user, now),
        "invitations": lambda: pending_invitations(user),
        "shipments": lambda: shipments_unconfirmed(user, today),
    }


SECTIONS = tuple(MyDay.__dataclass_fields__)[1:10]


def _first(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one query (the count is
    a window over the whole result, computed before the LIMIT)."""
    rows = list(queryset.annotate(section_total=Window(Count("pk")))[:limit])
    return rows, rows[0].section_total if rows else 0


def my_day(user: User, today: datetime.date | None = None) -> MyDay:
    today = today or timezone.localdate()
    now = timezone.now()
    if not user.can_edit:
        return MyDay(today=today, team=team_overview(today, now))
    day = MyDay(today=today)
    sections = _sections(user, today, now)
    # Late and this week's deliverables are one costly query: asked once, split by a window.
    late, week = _first_of_each(deliverables_due(user, today), Q(due_on__lt=today), SECTION_LIMIT)
    (day.overdue_deliverables, day.totals["overdue_deliverables"]) = late
    (day.deliverables, day.totals["deliverables"]) = week
    for name, section in sections.items():
        if name not in ("overdue_deliverables", "deliverables"):
            rows, day.totals[name] = _first(section(), SECTION_LIMIT)
            setattr(day, name, rows)
    _link(day)
    return day


# The page links every row; reversing a URL per row cost more than the rest of the row.
PK = 987654321  # a stand-in, replaced by each row's own pk


def _link(day: MyDay) -> None:
    """Give each row of the page the URL it links to (`row.url`), from one reversal per
    kind of page."""
    partnership = reverse("partnerships:detail", args=[PK])
    influencer = reverse("influencers:detail", args=[PK])

    def fill(url: str, pk: int) -> str:
        return url.replace(str(PK), str(pk))

    for d in (*day.overdue_deliverables, *day.deliverables):
        d.url = fill(partnership, d.version.partnership_id)
    for row in (*day.to_review, *day.waiting_terms, *day.shipments):
        row.url = fill(partnership, row.partnership_id)
    day.overdue = with_links(day.overdue)
    day.due_today = with_links(day.due_today)
    for p in day.quiet:
        p.url = fill(influencer, p.influencer_id)
    for i in day.invitations:
        i.url = fill(influencer, i.pk)


def _first_of_each(queryset: QuerySet, split: Q, limit: int):
    """Like `_first`, for the rows matching `split` and the others, in one query."""
    part = Case(When(split, then=Value(True)), default=Value(False))
    ordering = [
        OrderBy(F(name.lstrip("-")), descending=name.startswith("-"))
        for name in queryset.query.order_by
    ]
    rows = list(
        queryset.annotate(
            part=part,
            part_row=Window(RowNumber(), partition_by=[part], order_by=ordering),
            part_total=Window(Count("pk"), partition_by=[part]),
        ).filter(part_row__lte=limit)
    )
    matching = [row for row in rows if row.part]
    others = [row for row in rows if not row.part]
    return (
        (matching, matching[0].part_total if matching else 0),
        (others, others[0].part_total if others else 0),
    )


def my_day_section(user: User, name: str, page: int | str) -> tuple[MyDay, Page]:
    """One section of My day in full, a page at a time (its "and N more" link)."""
    today, now = timezone.localdate(), timezone.now()
    paginator = Paginator(_sections(user, today, now)[name](), SECTION_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    day = MyDay(today=today, totals={name: paginator.count}, paged=True)
    setattr(day, name, list(page_obj))
    _link(day)
    return day, page_obj


def team_overview(today: datetime.date, now: datetime.datetime) -> TeamOverview:
    return TeamOverview(
        overdue_follow_ups=follow_ups_overdue_count(today),
        overdue_deliverables=deliverables_overdue_count(today),
        to_review=submissions_to_review_count(),
        waiting_terms=terms_waiting_count(now),
    )
