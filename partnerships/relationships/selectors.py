"""Reads for the relationship log: the timeline of one influencer (one chronological
stream of contacts, stage changes, terms versions and acceptances, posts handed in,
shipments, in a fixed number of queries) and the follow-ups a marketer owes."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from influencers.models import Influencer, Stage

from ..costs import Cost, partnership_cost
from ..models import (
    Acceptance,
    Contact,
    FollowUp,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)
from ..selectors import terms_state_of

LIMIT = 200  # per source; the page is a recent history, not an archive


@dataclass
class Event:
    at: datetime.datetime
    kind: str
    icon: str
    title: str
    detail: str = ""
    link: str = ""


def _midday(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def influencer_timeline(influencer: Influencer) -> list[Event]:
    events: list[Event] = []
    for contact in influencer.contacts.select_related("logged_by", "partnership__campaign")[:LIMIT]:
        detail = contact.summary
        if contact.place:
            detail = f"{contact.place} · {detail}"
        events.append(
            Event(
                contact.happened_at,
                "contact",
                "bi-people" if contact.kind == Contact.Kind.MEETING else "bi-chat-dots",
                f"{contact.get_kind_display()} · {contact.logged_by or ''}".strip(" ·"),
                detail,
            )
        )
    for change in influencer.stage_changes.select_related("changed_by")[:LIMIT]:
        title = (
            _("Stage: %(from)s → %(to)s")
            % {"from": Stage(change.from_stage).label, "to": Stage(change.to_stage).label}
            if change.from_stage
            else _("Added as %(to)s") % {"to": Stage(change.to_stage).label}
        )
        events.append(
            Event(change.changed_at, "stage", "bi-signpost", title, str(change.changed_by or ""))
        )
    versions = (
        TermsVersion.objects.filter(partnership__influencer=influencer, proposed_at__isnull=False)
        .select_related("partnership__campaign")
        .order_by("-proposed_at")[:LIMIT]
    )
    for version in versions:
        events.append(
            Event(
                version.proposed_at,
                "terms",
                "bi-file-earmark-text",
                _("Terms v%(n)s proposed · %(campaign)s")
                % {"n": version.number, "campaign": version.partnership.campaign.name},
                link=reverse(
                    "partnerships:terms_document", args=[version.partnership_id, version.number]
                ),
            )
        )
    acceptances = Acceptance.objects.filter(partnership__influencer=influencer).select_related(
        "version", "partnership__campaign"
    )[:LIMIT]
    for acceptance in acceptances:
        events.append(
            Event(
                acceptance.accepted_at,
                "acceptance",
                "bi-check2-circle",
                _("Accepted terms v%(n)s · %(campaign)s")
                % {
                    "n": acceptance.version.number,
                    "campaign": acceptance.partnership.campaign.name,
                },
            )
        )
    submissions = (
        Submission.objects.filter(partnership__influencer=influencer)
        .select_related("deliverable__channel")
        .order_by("-submitted_at")[:LIMIT]
    )
    for submission in submissions:
        events.append(
            Event(
                submission.submitted_at,
                "submission",
                "bi-link-45deg",
                _("Handed in a post for %(deliverable)s") % {"deliverable": submission.deliverable},
                submission.get_status_display(),
                submission.post_url,
            )
        )
    shipments = Shipment.objects.filter(partnership__influencer=influencer).order_by("-created_at")[
        :LIMIT
    ]
    for shipment in shipments:
        if shipment.sent_on:
            events.append(
                Event(
                    _midday(shipment.sent_on),
                    "shipment",
                    "bi-box-seam",
                    _("Sent %(item)s") % {"item": shipment.item},
                    f"{shipment.carrier} {shipment.tracking_number}".strip(),
                )
            )
        if shipment.delivered_on:
            events.append(
                Event(
                    _midday(shipment.delivered_on),
                    "shipment",
                    "bi-box2-heart",
                    _("Delivered %(item)s") % {"item": shipment.item},
                )
            )
    events.sort(key=lambda event: event.at, reverse=True)
    return events


# --- What a marketer has to follow up on (My day composes these) -------------------


# What a follow-up row shows (partnerships/_follow_up_row.html), and nothing more.
FOLLOW_UP_ROW = (
    "what",
    "due_on",
    "done_at",
    "influencer__name",
    "partnership__campaign__name",
    "assignee__full_name",
    "assignee__email",
)


STAND_IN_PK = 987654321


def with_links(follow_ups) -> list[FollowUp]:
    """The rows with the URLs they link to (`done_url`, `influencer_url`), from one
    reversal each for the whole list: a list of rows would otherwise reverse two URLs
    per row, which cost more than the rest of the row."""
    done = reverse("partnerships:follow_up_done", args=[STAND_IN_PK])
    profile = reverse("influencers:detail", args=[STAND_IN_PK])
    rows = list(follow_ups)
    for row in rows:
        row.done_url = done.replace(str(STAND_IN_PK), str(row.pk))
        row.influencer_url = profile.replace(str(STAND_IN_PK), str(row.influencer_id))
    return rows


def follow_ups_due(user: User, today: datetime.date) -> QuerySet[FollowUp]:
    """Open follow-ups assigned to `user`, due today or earlier, oldest first."""
    return (
        FollowUp.objects.filter(assignee=user, done_at=None, due_on__lte=today)
        .select_related("influencer", "partnership__campaign", "assignee")
        .only(*FOLLOW_UP_ROW)
        .order_by("due_on", "pk")
    )


def follow_ups_overdue_count(today: datetime.date) -> int:
    """Open follow-ups of the whole team due before today (a viewer's overview)."""
    return FollowUp.objects.filter(done_at=None, due_on__lt=today).count()


def quiet_partnerships(user: User, now: datetime.datetime) -> QuerySet[Partnership]:
    """Active partnerships of `user` with no contact logged for MY_DAY_QUIET_DAYS."""
    last_contact = (
        Contact.objects.filter(influencer=OuterRef("influencer"))
        .order_by("-happened_at")
        .values("happened_at")[:1]
    )
    quiet_since = now - datetime.timedelta(days=settings.MY_DAY_QUIET_DAYS)
    return (
        Partnership.objects.filter(owner=user, status=Partnership.Status.ACTIVE)
        .annotate(last_contact=Subquery(last_contact))
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=quiet_since))
        .select_related("influencer", "campaign")
        .only("influencer__name", "campaign__name")
        .order_by("last_contact", "pk")
    )


# --- The working relationship with one influencer (their profile shows it) ---------

# Offers that went nowhere are listed but are not part of the working relationship.
NOT_WORKED = {Partnership.Status.DECLINED, Partnership.Status.CANCELLED}


@dataclass
class RelationshipRow:
    partnership: Partnership
    cost: Cost


@dataclass
class Relationship:
    """An influencer's partnerships, read once for every panel of their profile."""

    rows: list[RelationshipRow]
    months: int | None
    repeats: int

    @property
    def partnership_choices(self) -> list[tuple[int, str]]:
        """(pk, campaign name) of every partnership, most recent first: the contact and
        follow-up forms offer these."""
        return [(row.partnership.pk, row.partnership.campaign.name) for row in self.rows]


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
        RelationshipRow(p, partnership_cost(p, terms_state_of(list(p.versions.all())).costed))
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


RECENT_CONTACTS = 10


def contacts_panel(influencer: Influencer) -> dict:
    """Last contact, last meeting, the recent contacts and the open follow-ups."""
    last = influencer.contacts.aggregate(
        contacted=Max("happened_at"),
        met=Max("happened_at", filter=Q(kind=Contact.Kind.MEETING)),
    )
    return {
        "last_contact": last["contacted"],
        "last_met": last["met"],
        "contacts": influencer.contacts.select_related("logged_by", "partnership__campaign")[
            :RECENT_CONTACTS
        ],
        "follow_ups": with_links(
            influencer.follow_ups.filter(done_at=None).select_related(
                "assignee", "partnership__campaign", "influencer"
            )
        ),
    }
