"""Reads for handed-in posts: which piece of which deliverable has which link."""

from collections.abc import Iterable
from typing import NamedTuple

from .models import Deliverable, Submission, TermsVersion


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
