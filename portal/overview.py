"""What the portal home shows: each partnership and what needs the influencer's attention.

Composed from what partnerships offers (the influencer's scoped partnerships, the terms
state, and the one "pieces still missing" rule, `Deliverable.objects.with_missing_pieces`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.posts.disclosure import posts_missing_disclosure
from partnerships.delivery.selectors import missing_pieces
from partnerships.models import Partnership, Shipment, TermsVersion
from partnerships.selectors import (
    TermsState,
    portal_partnerships,
    terms_state_of,
    versions_with_children,
)

DUE_SOON_DAYS = 14


@dataclass
class Card:
    partnership: Partnership
    state: TermsState
    attention: list[str] = field(default_factory=list)


OPEN = (Partnership.Status.PROPOSED, Partnership.Status.ACCEPTED, Partnership.Status.ACTIVE)
HANDING_IN = (Partnership.Status.ACCEPTED, Partnership.Status.ACTIVE)


def open_terms_state(partnership: Partnership) -> TermsState:
    """The terms state from the prefetched versions; on a closed partnership nothing is
    waiting for acceptance any more (a declined offer is not on the table)."""
    state = terms_state_of(list(partnership.versions.all()))
    if partnership.status not in OPEN:
        state.pending = None
    return state


def portal_overview(user: User, today: datetime.date | None = None) -> list[Card]:
    """Newest first; a fixed number of queries however many partnerships there are."""
    today = today or timezone.localdate()
    partnerships = (
        portal_partnerships(user)
        .select_related("campaign")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=versions_with_children(
                    TermsVersion.objects.exclude(proposed_at=None).order_by("number")
                ),
            ),
            Prefetch("shipments", queryset=Shipment.objects.filter(status=Shipment.Status.SENT)),
        )
        .order_by("-created_at", "-pk")
    )
    states = [(partnership, open_terms_state(partnership)) for partnership in partnerships]
    missing = missing_pieces(
        [
            state.in_force
            for partnership, state in states
            if state.in_force and partnership.status in HANDING_IN
        ]
    )
    flags: dict[int, list] = {}
    for flag in posts_missing_disclosure(partnerships):
        flags.setdefault(flag.post.partnership_id, []).append(flag)
    cards = []
    for partnership, state in states:
        card = Card(partnership, state)
        if state.pending:
            card.attention.append(
                _("Terms version %(n)s is waiting for you to read and accept.")
                % {"n": state.pending.number}
            )
        for deliverable in missing.get(getattr(state.in_force, "pk", None), []):
            if deliverable.due_on <= today + datetime.timedelta(DUE_SOON_DAYS):
                message = (
                    _("Overdue: %(n)s × %(format)s on %(channel)s was due %(due)s")
                    if deliverable.due_on < today
                    else _("%(n)s × %(format)s on %(channel)s due %(due)s")
                )
                card.attention.append(
                    message
                    % {
                        "n": deliverable.missing,
                        "format": deliverable.get_format_display(),
                        "channel": deliverable.channel.display_handle,
                        "due": date_format(deliverable.due_on, "j M"),
                    }
                )
        for shipment in partnership.shipments.all():
            card.attention.append(
                _("%(item)s is on its way%(tracking)s")
                % {
                    "item": shipment.item,
                    "tracking": f" ({shipment.carrier} {shipment.tracking_number})".rstrip()
                    if shipment.tracking_number
                    else "",
                }
            )
        for flag in flags.get(partnership.pk, []):
            card.attention.append(
                _("Your post %(post)s misses the disclosure the terms ask for: %(rule)s")
                % {"post": flag.post.platform_post_id or flag.post.url, "rule": flag.rule}
            )
        cards.append(card)
    return cards
