"""Scoped reads for partnerships, and the money they cost.

Two doors: `partnership_for_user` for marketers, and the `portal_*` functions for an
influencer, scoped to the influencer profile linked to the logged-in user; anything
else answers 404 exactly like a missing id."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import (
    Deliverable,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)

ZERO = Decimal("0.00")


def partnership_for_user(user: User, pk: int, *, write: bool = False) -> Partnership:
    """The one door: 404 if missing or not theirs, 403 if a read-only user wants to write."""
    partnership = get_object_or_404(
        Partnership.objects.visible_to(user).select_related(
            "campaign", "influencer__user", "owner", "renewed_from__campaign"
        ),
        pk=pk,
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return partnership


def version_for_user(user: User, partnership_pk: int, number: int) -> TermsVersion:
    partnership = partnership_for_user(user, partnership_pk)
    return get_object_or_404(versions_with_children(partnership.versions.all()), number=number)


def versions_with_children(qs: QuerySet[TermsVersion]) -> QuerySet[TermsVersion]:
    return qs.select_related(
        "partnership__campaign", "partnership__influencer", "acceptance__accepted_by"
    ).prefetch_related("deliverables__channel", "compensation", "kpis")


@dataclass
class TermsState:
    """Which version is which: in force (latest accepted), awaiting acceptance, draft."""

    versions: list[TermsVersion]
    in_force: TermsVersion | None
    pending: TermsVersion | None
    draft: TermsVersion | None

    @property
    def latest(self) -> TermsVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def current(self) -> TermsVersion | None:
        """What the partnership is about right now: pending, else in force, else the draft."""
        return self.pending or self.in_force or self.draft

    @property
    def costed(self) -> TermsVersion | None:
        """The terms money is committed on: those in force, else the ones on the table."""
        return self.in_force or self.pending or self.draft


def terms_state(partnership: Partnership) -> TermsState:
    return terms_state_of(list(versions_with_children(partnership.versions.order_by("number"))))


def terms_state_of(versions: list[TermsVersion]) -> TermsState:
    """Which version is which, from versions already loaded in number order (so pages
    that prefetch `versions` ask the database nothing more)."""
    accepted = [v for v in versions if _accepted(v)]
    in_force = accepted[-1] if accepted else None
    proposed = [v for v in versions if not v.is_draft]
    pending = proposed[-1] if proposed and not _accepted(proposed[-1]) else None
    draft = next((v for v in versions if v.is_draft), None)
    return TermsState(versions, in_force, pending, draft)


def _accepted(version: TermsVersion) -> bool:
    try:
        return version.acceptance is not None
    except TermsVersion.acceptance.RelatedObjectDoesNotExist:
        return False


# --- The influencer's own (the portal's one door) -------------------------------


def portal_partnerships(user: User) -> QuerySet[Partnership]:
    if not (user.is_authenticated and user.is_influencer):
        return Partnership.objects.none()
    # Only what was actually offered: a partnership whose terms were never proposed
    # (a draft, or a draft cancelled before it went out) is the brand's own notes.
    offered = TermsVersion.objects.filter(partnership=OuterRef("pk"), proposed_at__isnull=False)
    return Partnership.objects.filter(influencer__user=user).filter(Exists(offered))


def portal_partnership(user: User, pk: int) -> Partnership:
    return get_object_or_404(
        portal_partnerships(user)
        .select_related("campaign", "influencer")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=versions_with_children(
                    TermsVersion.objects.exclude(proposed_at=None).order_by("number")
                ),
            ),
            Prefetch("shipments", queryset=Shipment.objects.order_by("-created_at")),
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related("deliverable"),
            ),
        ),
        pk=pk,
    )


def portal_version(user: User, partnership_pk: int, number: int) -> TermsVersion:
    """Only proposed versions: a draft the brand is still writing is not theirs to see."""
    return get_object_or_404(
        versions_with_children(
            TermsVersion.objects.filter(
                partnership__in=portal_partnerships(user), proposed_at__isnull=False
            )
        ),
        partnership_id=partnership_pk,
        number=number,
    )


def portal_deliverable(user: User, partnership_pk: int, deliverable_pk: int) -> Deliverable:
    """A deliverable of terms the influencer accepted, in their own partnership."""
    return get_object_or_404(
        Deliverable.objects.select_related("channel", "version__partnership").filter(
            version__partnership__in=portal_partnerships(user),
            version__acceptance__isnull=False,
        ),
        version__partnership_id=partnership_pk,
        pk=deliverable_pk,
    )


# --- What a marketer has to follow up on (My day composes these) -------------------


def _terms_waiting(now: datetime.datetime) -> QuerySet[TermsVersion]:
    open_statuses = (
        Partnership.Status.PROPOSED,
        Partnership.Status.ACCEPTED,
        Partnership.Status.ACTIVE,
    )
    return TermsVersion.objects.filter(
        partnership__status__in=open_statuses,
        proposed_at__lt=now - datetime.timedelta(days=settings.MY_DAY_TERMS_WAITING_DAYS),
        acceptance__isnull=True,
    ).exclude(
        Exists(
            TermsVersion.objects.filter(
                partnership=OuterRef("partnership"), number__gt=OuterRef("number")
            )
        )
    )


def terms_waiting(user: User, now: datetime.datetime) -> QuerySet[TermsVersion]:
    """The latest proposal of each of `user`'s open partnerships, unanswered for more
    than MY_DAY_TERMS_WAITING_DAYS."""
    return (
        _terms_waiting(now)
        .filter(partnership__owner=user)
        .select_related("partnership__influencer", "partnership__campaign")
        .only(
            "number",
            "proposed_at",
            "partnership__influencer__name",
            "partnership__campaign__name",
        )
        .order_by("proposed_at", "pk")
    )


def terms_waiting_count(now: datetime.datetime) -> int:
    """How many such proposals the whole team has waiting (a viewer's overview)."""
    return _terms_waiting(now).count()
