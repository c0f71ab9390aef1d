"""Scoped reads: every view gets its influencer through here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Channel, Influencer, ResearchCheck, ResearchItem, Stage, StageChange


def influencer_for_user(user: User, pk: int, *, write: bool = False) -> Influencer:
    influencer = get_object_or_404(
        Influencer.objects.visible_to(user).select_related("owner", "user"), pk=pk
    )
    if write and not user.can_edit:
        raise PermissionDenied
    return influencer


def influencer_list(user: User, filters: dict) -> QuerySet[Influencer]:
    """The roster filtered as the list page asks; query count does not grow with rows."""
    qs = (
        Influencer.objects.visible_to(user)
        .with_reach()
        .select_related("owner", "user")
        .prefetch_related(
            Prefetch("channels", queryset=Channel.objects.order_by("-is_primary")),
            # Every row shows its login's latest invitation (a login has only a few).
            "user__invitations",
        )
    )
    if filters.get("q"):
        qs = qs.search(filters["q"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("platform"):
        qs = qs.filter(channels__platform=filters["platform"])
    if filters.get("niche"):
        qs = qs.filter(niches__contains=[filters["niche"].lower()])
    if filters.get("country"):
        qs = qs.filter(country__iexact=filters["country"])
    if filters.get("owner"):
        qs = qs.filter(owner_id=filters["owner"])
    if filters.get("min_followers") is not None:
        qs = qs.filter(max_followers__gte=filters["min_followers"])
    if filters.get("max_followers") is not None:
        qs = qs.filter(max_followers__lte=filters["max_followers"])
    if filters.get("platform"):
        qs = qs.distinct()
    return qs.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]))


SORTS = {
    "name": ["name", "pk"],
    "-followers": ["-max_followers", "name", "pk"],
    "followers": ["max_followers", "name", "pk"],
    "-created": ["-created_at", "pk"],
    "stage": ["stage", "name", "pk"],
}


def research_checklist(influencer: Influencer) -> list[ResearchCheck]:
    """One entry per checklist item, unsaved placeholders for items not yet touched."""
    existing = {check.item: check for check in influencer.research_checks.all()}
    return [
        existing.get(item) or ResearchCheck(influencer=influencer, item=item)
        for item in ResearchItem.values
    ]


def research_missing(influencer: Influencer) -> list[str]:
    """Labels of checklist items that are not done with a note."""
    return [
        str(ResearchItem(check.item).label)
        for check in research_checklist(influencer)
        if not (check.done and check.note.strip())
    ]


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
    cards = ranked.filter(position__lte=per_stage).with_reach().order_by("name", "pk")
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
