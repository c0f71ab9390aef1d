"""Scoped reads: every view gets its influencer through here."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import (
    Channel,
    Influencer,
    PendingImport,
    ResearchCheck,
    ResearchItem,
    Stage,
    StageChange,
)


def influencer_for_user(user: User, pk: int, *, write: bool = False) -> Influencer:
    influencer = get_object_or_404(
        Influencer.objects.visible_to(user).select_related("owner", "user"), pk=pk
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return influencer


def influencer_list(user: User) -> QuerySet[Influencer]:
    """The roster as the list page and the export show it, by name; `filters.InfluencerFilter`
    narrows and sorts it. The query count does not grow with rows."""
    return (
        Influencer.objects.visible_to(user)
        .with_reach()
        .select_related("owner", "user")
        .prefetch_related(
            Prefetch("channels", queryset=Channel.objects.order_by("-is_primary")),
            # Every row shows its login's latest invitation (a login has only a few).
            "user__invitations",
        )
        .order_by("name", "pk")
    )


PICKER_LIMIT = 20


def influencer_picks(user: User, text: str) -> list[Influencer]:
    """The first matches for a typed name, handle or email, with their channels: two
    queries whatever the roster's size."""
    if not text.strip().removeprefix("@"):
        return []
    matching = Influencer.objects.visible_to(user).search(text).values("pk")
    return list(
        Influencer.objects.filter(pk__in=matching)
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("-is_primary")))
        .order_by("name", "pk")[:PICKER_LIMIT]
    )


def pending_import_for_user(user: User, token: str) -> PendingImport | None:
    """The upload `user` left under `token`, expired or not. None when there is none
    (imported, purged, or never made); 404 when the token is someone else's."""
    try:
        token = uuid.UUID(token)
    except ValueError:
        return None
    pending = PendingImport.objects.filter(token=token, uploaded_by=user).first()
    if pending is None and PendingImport.objects.filter(token=token).exists():
        raise Http404
    return pending


def research_checklist(influencer: Influencer) -> list[ResearchCheck]:
    """One entry per checklist item, unsaved placeholders for items not yet touched."""
    existing = {check.item: check for check in influencer.research_checks.all()}
    return [
        existing.get(item) or ResearchCheck(influencer=influencer, item=item)
        for item in ResearchItem.values
    ]


def research_missing(
    influencer: Influencer, checklist: list[ResearchCheck] | None = None
) -> list[str]:
    """Labels of checklist items without a note (a filled note is what makes one done);
    pass the `research_checklist` already loaded to ask the database nothing more."""
    if checklist is None:
        checklist = research_checklist(influencer)
    return [str(ResearchItem(check.item).label) for check in checklist if not check.note.strip()]


def stage_history(influencer: Influencer) -> QuerySet[StageChange]:
    return influencer.stage_changes.select_related("changed_by")


@dataclass
class BoardColumn:
    stage: Stage
    cards: list[Influencer]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def board_columns(user: User, *, per_stage: int) -> list[BoardColumn]:
    """The first cards of every stage in two queries, however big the roster."""
    visible = Influencer.objects.visible_to(user)
    totals = dict(visible.values_list("stage").annotate(n=Count("pk")).order_by())
    ranked = visible.annotate(
        position=Window(RowNumber(), partition_by=[F("stage")], order_by=[F("name"), F("pk")])
    )
    cards = (
        ranked.filter(position__lte=per_stage)
        .only("pk", "name", "stage")  # a card shows no more; bio and notes can be long
        .with_reach()
        .order_by("name", "pk")
    )
    columns = {stage: BoardColumn(Stage(stage), [], totals.get(stage, 0)) for stage in Stage.values}
    for influencer in cards:
        columns[influencer.stage].cards.append(influencer)
    return list(columns.values())


def pending_invitations(user: User) -> QuerySet[Influencer]:
    """Influencers this marketer owns who were invited to the portal but never joined."""
    return (
        Influencer.objects.filter(owner=user, user__isnull=False, user__last_login__isnull=True)
        .annotate(invited_at=Max("user__invitations__created_at"))
        .filter(invited_at__isnull=False)
        .order_by("invited_at")
    )
