"""Writes to partnerships and their terms.

Every function that changes a partnership locks its row first, so an edit, a
proposal and an acceptance racing each other are applied one after the other
and the loser gets a clear error instead of a silent overwrite.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer

from . import tasks
from . import terms as terms_content
from .models import (
    Acceptance,
    ChangeRequest,
    CompensationLine,
    Deliverable,
    KpiTarget,
    Partnership,
    TermsVersion,
)

Status = Partnership.Status

# Status changes a person may make by hand. "proposed" comes from proposing terms
# and "accepted" only from the influencer's acceptance.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.CANCELLED},
    Status.PROPOSED: {Status.DECLINED, Status.CANCELLED},
    Status.ACCEPTED: {Status.ACTIVE, Status.CANCELLED},
    Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.DECLINED: set(),
    Status.CANCELLED: set(),
}
# Every legal move, whoever makes it.
TRANSITIONS: dict[str, set[str]] = {
    **MANUAL_TRANSITIONS,
    Status.DRAFT: {Status.PROPOSED, Status.CANCELLED},
    Status.PROPOSED: {Status.ACCEPTED, Status.DECLINED, Status.CANCELLED},
}
# Terms can change (as a new version) while the relationship is open.
EDITABLE_STATUSES = {Status.DRAFT, Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE}
TERMS_FIELDS = terms_content.SCALAR_FIELDS


class TermsError(ValidationError):
    """A terms operation that the current state does not allow; the message says why."""


def _lock(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update()
        .select_related("campaign", "influencer")
        .get(pk=partnership.pk)
    )


def _set_status(partnership: Partnership, to_status: str) -> None:
    if to_status not in TRANSITIONS[partnership.status]:
        raise TermsError(
            _("A partnership that is %(from)s cannot become %(to)s.")
            % {"from": partnership.get_status_display(), "to": Status(to_status).label},
            code="illegal_transition",
        )
    partnership.status = to_status
    partnership.status_changed_at = timezone.now()
    partnership.save(update_fields=["status", "status_changed_at"])


def _default_terms(campaign: Campaign) -> dict:
    return {key: value for key, value in campaign.default_terms.items() if key in TERMS_FIELDS}


@transaction.atomic
def partnership_create(
    *, campaign: Campaign, influencer: Influencer, by: User, owner: User | None = None
) -> Partnership:
    if Partnership.objects.filter(campaign=campaign, influencer=influencer).exists():
        raise ValidationError(
            _("%(influencer)s is already in %(campaign)s.")
            % {"influencer": influencer, "campaign": campaign.name},
            code="duplicate_partnership",
        )
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                campaign=campaign, influencer=influencer, owner=owner or by
            )
    except IntegrityError as exc:  # created by someone else a moment ago
        raise ValidationError(
            _("This influencer is already in that campaign."), code="dup"
        ) from exc
    TermsVersion.objects.create(
        partnership=partnership, number=1, created_by=by, **_default_terms(campaign)
    )
    return partnership


@transaction.atomic
def partnership_transition(*, partnership: Partnership, to_status: str, by: User) -> Partnership:
    partnership = _lock(partnership)
    if to_status == Status.PROPOSED:
        raise TermsError(_("Propose the terms to send them to the influencer."), code="use_propose")
    if to_status == Status.ACCEPTED:
        raise TermsError(
            _("Only the influencer's acceptance of the terms can make it accepted."),
            code="use_accept",
        )
    if to_status not in MANUAL_TRANSITIONS[partnership.status]:
        raise TermsError(
            _("A partnership that is %(from)s cannot become %(to)s.")
            % {"from": partnership.get_status_display(), "to": Status(to_status).label},
            code="illegal_transition",
        )
    _set_status(partnership, to_status)
    return partnership


# --- Versions -------------------------------------------------------------------------


def latest_version(partnership: Partnership) -> TermsVersion | None:
    return partnership.versions.order_by("-number").first()


def _copy_version(source: TermsVersion, *, into: Partnership, number: int, by: User):
    copy = TermsVersion.objects.create(
        partnership=into,
        number=number,
        created_by=by,
        **{name: getattr(source, name) for name in TERMS_FIELDS},
    )
    _copy_children(
        source, copy, same_influencer=source.partnership.influencer_id == into.influencer_id
    )
    return copy


def _copy_children(source: TermsVersion, target: TermsVersion, *, same_influencer: bool) -> None:
    if same_influencer:
        Deliverable.objects.bulk_create(
            [
                Deliverable(
                    version=target,
                    position=d.position,
                    channel_id=d.channel_id,
                    format=d.format,
                    quantity=d.quantity,
                    due_on=d.due_on,
                    requirements=d.requirements,
                )
                for d in source.deliverables.all()
            ]
        )
    CompensationLine.objects.bulk_create(
        [
            CompensationLine(
                version=target,
                **{
                    f.name: getattr(c, f.name)
                    for f in CompensationLine._meta.concrete_fields
                    if f.name not in ("id", "version")
                },
            )
            for c in source.compensation.all()
        ]
    )
    KpiTarget.objects.bulk_create(
        [
            KpiTarget(
                version=target,
                position=k.position,
                metric=k.metric,
                target=k.target,
                bonus_tiers=k.bonus_tiers,
            )
            for k in source.kpis.all()
        ]
    )


@transaction.atomic
def terms_open_draft(
    *,
    partnership: Partnership,
    by: User,
    based_on: int,
    seen_accepted: bool | None = None,
    seen_digest: str | None = None,
) -> TermsVersion:
    """The version to edit: the current draft, or a new draft copied from the latest.

    `based_on` is the version number the editor was looking at and `seen_accepted`
    whether it was accepted then (None: don't check). If the terms moved on
    meanwhile (a new version, or the influencer accepted), the editor is told
    rather than changing something they have not seen. While a draft is open the
    proposed version cannot be accepted: the brand is revising it.
    """
    partnership = _lock(partnership)
    if partnership.status not in EDITABLE_STATUSES:
        raise TermsError(
            _("The terms of a %(status)s partnership can no longer change.")
            % {"status": partnership.get_status_display().lower()},
            code="closed",
        )
    latest = latest_version(partnership)
    if latest.number != based_on:
        raise TermsError(
            _("These terms changed while you were looking (now version %(n)s). Reload the page.")
            % {"n": latest.number},
            code="stale",
        )
    accepted_now = Acceptance.objects.filter(version=latest).exists()
    if seen_accepted is not None and accepted_now != seen_accepted:
        raise TermsError(
            _("The influencer accepted version %(n)s a moment ago. Reload to see it first.")
            % {"n": latest.number},
            code="accepted_meanwhile",
        )
    if latest.is_draft:
        if seen_digest is not None and terms_content.version_digest(latest) != seen_digest:
            raise TermsError(
                _("Someone else saved this draft while you were editing. Reload to see it."),
                code="draft_changed",
            )
        return latest
    return _copy_version(latest, into=partnership, number=latest.number + 1, by=by)


@dataclass
class TermsInput:
    fields: dict
    deliverables: list[dict]
    compensation: list[dict]
    kpis: list[dict]


def _check_draft(version: TermsVersion) -> TermsVersion:
    version = TermsVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise TermsError(
            _("Version %(n)s was already proposed and can no longer change.")
            % {"n": version.number},
            code="frozen",
        )
    return version


@transaction.atomic
def terms_save(*, version: TermsVersion, by: User, data: TermsInput) -> TermsVersion:
    _lock(version.partnership)
    version = _check_draft(version)
    influencer_id = version.partnership.influencer_id
    for row in data.deliverables:
        if row["channel"].influencer_id != influencer_id:
            raise TermsError(
                _("%(channel)s belongs to another influencer.") % {"channel": row["channel"]},
                code="foreign_channel",
            )
    unknown = set(data.fields) - set(TERMS_FIELDS)
    if unknown:
        raise ValueError(f"not terms fields: {sorted(unknown)}")
    for name, value in data.fields.items():
        setattr(version, name, value)
    version.full_clean(exclude=["partnership", "created_by", "proposed_by"])
    version.save()
    version.deliverables.all().delete()
    version.compensation.all().delete()
    version.kpis.all().delete()
    _create_children(version, Deliverable, data.deliverables)
    _create_children(version, CompensationLine, data.compensation)
    _create_children(version, KpiTarget, data.kpis)
    return version


def _create_children(version: TermsVersion, model, rows: Iterable[dict]) -> None:
    objects = []
    for position, row in enumerate(rows):
        obj = model(version=version, position=position, **row)
        obj.full_clean(exclude=["version"])
        objects.append(obj)
    model.objects.bulk_create(objects)


@transaction.atomic
def terms_propose(*, version: TermsVersion, by: User) -> TermsVersion:
    partnership = _lock(version.partnership)
    version = _check_draft(version)
    if not version.deliverables.exists():
        raise TermsError(
            _("Add at least one deliverable before proposing the terms."), code="empty"
        )
    if partnership.status not in EDITABLE_STATUSES:
        raise TermsError(_("This partnership is closed."), code="closed")
    version.content = terms_content.live_content(version)
    version.sha256 = terms_content.digest(version.content)
    version.proposed_at = timezone.now()
    version.proposed_by = by
    version.save(update_fields=["content", "sha256", "proposed_at", "proposed_by"])
    if partnership.status == Status.DRAFT:
        _set_status(partnership, Status.PROPOSED)
    return version


@transaction.atomic
def terms_accept(*, version: TermsVersion, by: User, ip: str | None, user_agent: str) -> Acceptance:
    """Record that the influencer accepted exactly this version."""
    partnership = _lock(version.partnership)
    version = TermsVersion.objects.get(pk=version.pk)
    if by.is_marketer or partnership.influencer.user_id != by.pk:
        raise TermsError(_("Only the influencer can accept their terms."), code="not_party")
    if version.is_draft:
        raise TermsError(_("These terms have not been proposed yet."), code="draft")
    if Acceptance.objects.filter(version=version).exists():
        raise TermsError(
            _("You already accepted version %(n)s.") % {"n": version.number}, code="twice"
        )
    if partnership.versions.filter(proposed_at=None, number__gt=version.number).exists():
        raise TermsError(
            _(
                "The brand is revising these terms right now. You will be asked to accept the "
                "new version when it is ready."
            ),
            code="revising",
        )
    latest = partnership.versions.exclude(proposed_at=None).order_by("-number").first()
    if latest.pk != version.pk:
        raise TermsError(
            _("Version %(old)s was replaced by version %(new)s. Read and accept the newer one.")
            % {"old": version.number, "new": latest.number},
            code="superseded",
        )
    if partnership.status not in (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE):
        raise TermsError(_("This partnership is closed."), code="closed")
    acceptance = Acceptance.objects.create(
        version=version,
        partnership=partnership,
        accepted_by=by,
        sha256=version.sha256,
        ip_address=ip or None,
        user_agent=(user_agent or "")[:500],
    )
    if partnership.status == Status.PROPOSED:
        _set_status(partnership, Status.ACCEPTED)
    transaction.on_commit(lambda: tasks.notify_acceptance.delay(acceptance.pk))
    return acceptance


@transaction.atomic
def terms_request_changes(*, version: TermsVersion, by: User, message: str) -> ChangeRequest:
    """The influencer answers a proposal with a request for changes instead of accepting."""
    partnership = _lock(version.partnership)
    if partnership.influencer.user_id != by.pk:
        raise TermsError(_("Only the influencer can ask for changes here."), code="not_party")
    if partnership.status not in (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE):
        raise TermsError(_("This partnership is closed."), code="closed")
    latest = partnership.versions.exclude(proposed_at=None).order_by("-number").first()
    if version.is_draft or latest is None or latest.pk != version.pk:
        raise TermsError(
            _("These terms were replaced by a newer version; read that one first."),
            code="superseded",
        )
    if Acceptance.objects.filter(version=version).exists():
        raise TermsError(_("You already accepted these terms."), code="accepted")
    change = ChangeRequest.objects.create(
        partnership=partnership, version=version, requested_by=by, message=message.strip()
    )
    transaction.on_commit(lambda: tasks.notify_change_request.delay(change.pk))
    return change


@transaction.atomic
def partnership_renew(*, partnership: Partnership, campaign: Campaign, by: User) -> Partnership:
    """Start the influencer's partnership in another campaign from the terms they had."""
    source = partnership.versions.filter(acceptance__isnull=False).order_by(
        "-number"
    ).first() or latest_version(partnership)
    renewal = partnership_create(campaign=campaign, influencer=partnership.influencer, by=by)
    renewal.renewed_from = partnership
    renewal.save(update_fields=["renewed_from"])
    draft = renewal.versions.get()
    for name in TERMS_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.save()
    _copy_children(source, draft, same_influencer=True)
    return renewal
