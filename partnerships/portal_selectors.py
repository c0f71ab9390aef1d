"""The portal's one door: every object an influencer sees is fetched through here,
scoped to the influencer profile linked to the logged-in user. Anything else is 404."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Deliverable, Partnership, Shipment, Submission, TermsVersion
from .selectors import versions_with_children


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
