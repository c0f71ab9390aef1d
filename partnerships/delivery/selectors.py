"""Reads for delivery: which piece of which deliverable has which link, and what a
marketer still has to chase (deliverables due, parcels not confirmed)."""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User

from ..models import (
    Acceptance,
    CompensationLine,
    Deliverable,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)
from ..selectors import terms_state


def product_lines(partnership: Partnership) -> list[CompensationLine]:
    """The product lines of the terms in force (else of the terms on the table), in order:
    what a new shipment most likely sends."""
    version = terms_state(partnership).costed
    if version is None:
        return []
    kind = CompensationLine.Kind.PRODUCT
    return [line for line in version.compensation.all() if line.kind == kind]


def shipment_initial(line: CompensationLine | None, *, currency: str) -> dict:
    """A new shipment's form prefilled from a product line: its name, how many, and what
    the goods cost in total (the line's cost each × quantity)."""
    if line is None:
        return {"currency": currency}
    value = line.cost_of_goods * line.quantity if line.cost_of_goods is not None else None
    return {
        "item": line.description,
        "quantity": line.quantity,
        "value": value,
        "currency": line.currency,
    }


class Piece(NamedTuple):
    number: int
    submission: Submission | None


class DeliverablePieces(NamedTuple):
    deliverable: Deliverable
    pieces: list[Piece]


def pieces_for(version: TermsVersion, submissions: Iterable[Submission]) -> list[DeliverablePieces]:
    """Per deliverable of `version`, its pieces 1..quantity with the submission for each.

    Computed in Python from submissions already loaded (e.g. a prefetched
    `partnership.submissions.all()`), so a page costs no query per deliverable.
    """
    by_piece = {(s.deliverable_id, s.piece): s for s in submissions}
    return [
        DeliverablePieces(
            deliverable,
            [
                Piece(number, by_piece.get((deliverable.pk, number)))
                for number in range(1, deliverable.quantity + 1)
            ],
        )
        for deliverable in version.deliverables.all()
    ]


def missing_pieces(versions: list[TermsVersion]) -> dict[int, list[Deliverable]]:
    """Per version, its deliverables with pieces still to hand in (one query)."""
    by_version: dict[int, list[Deliverable]] = {}
    deliverables = (
        Deliverable.objects.filter(version__in=versions)
        .with_missing_pieces()
        .select_related("channel")
        .order_by("position", "pk")
    )
    for deliverable in deliverables:
        by_version.setdefault(deliverable.version_id, []).append(deliverable)
    return by_version


# --- What a marketer has to chase (My day composes these) --------------------------

OPEN = (Partnership.Status.ACCEPTED, Partnership.Status.ACTIVE)


def _deliverables_in_force_missing(due_by: datetime.date) -> QuerySet[Deliverable]:
    """Deliverables of the terms in force of open partnerships, due by `due_by`, with
    pieces still to hand in."""
    newer_acceptance = Acceptance.objects.filter(
        partnership=OuterRef("version__partnership"),
        version__number__gt=OuterRef("version__number"),
    )
    return (
        Deliverable.objects.filter(
            version__partnership__status__in=OPEN,
            version__acceptance__isnull=False,
            due_on__lte=due_by,
        )
        .exclude(Exists(newer_acceptance))
        .with_missing_pieces()
    )


def deliverables_due(user: User, today: datetime.date) -> QuerySet[Deliverable]:
    """Deliverables of the terms in force, due within a week (or late), not all handed in."""
    return (
        _deliverables_in_force_missing(today + datetime.timedelta(days=7))
        .filter(version__partnership__owner=user)
        .select_related("channel", "version__partnership__influencer")
        # Only what a row shows: the frozen terms, bios and notes stay in the database.
        .only(
            "format",
            "quantity",
            "due_on",
            "channel__platform",
            "channel__handle",
            "version__partnership__influencer__name",
        )
        .order_by("due_on", "pk")
    )


def deliverables_overdue_count(today: datetime.date) -> int:
    """The whole team's deliverables past their due date with pieces missing (a viewer's
    overview)."""
    return _deliverables_in_force_missing(today - datetime.timedelta(days=1)).count()


def submissions_to_review_count() -> int:
    """Posts handed in on any partnership and waiting for review (a viewer's overview)."""
    return Submission.objects.filter(status=Submission.Status.SUBMITTED).count()


def submissions_to_review(user: User) -> QuerySet[Submission]:
    """Posts handed in on the marketer's partnerships and waiting for their review,
    oldest first (a piece sent back for a fix waits on the influencer, not on them)."""
    return (
        Submission.objects.filter(partnership__owner=user, status=Submission.Status.SUBMITTED)
        .select_related("deliverable", "partnership__influencer", "partnership__campaign")
        .only(
            "piece",
            "submitted_at",
            "deliverable__format",
            "partnership__influencer__name",
            "partnership__campaign__name",
        )
        .order_by("submitted_at", "pk")
    )


def shipments_unconfirmed(user: User, today: datetime.date) -> QuerySet[Shipment]:
    """Parcels sent more than MY_DAY_SHIPMENT_DAYS ago and still not marked delivered."""
    return (
        Shipment.objects.filter(
            partnership__owner=user,
            status=Shipment.Status.SENT,
            sent_on__lt=today - datetime.timedelta(days=settings.MY_DAY_SHIPMENT_DAYS),
        )
        .select_related("partnership__influencer")
        .only(
            "item",
            "sent_on",
            "carrier",
            "tracking_number",
            "partnership__influencer__name",
        )
        .order_by("sent_on", "pk")
    )
