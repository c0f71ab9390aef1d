"""Writes to a partnership's terms: open a draft, save it, propose it, and the
influencer's acceptance or request for changes. Each takes the partnership's row
lock first (see `workflow`). Accepted and proposed versions are frozen in the
database as well (migration 0002's trigger)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.queue import nudge_on_commit
from common.services import model_update

from .. import notifications, tasks
from ..models import (
    Acceptance,
    ChangeRequest,
    CompensationLine,
    Deliverable,
    KpiTarget,
    Partnership,
    TermsVersion,
)
from ..workflow import EDITABLE_STATUSES, Status, TermsError, lock, set_status

__all__ = ["EDITABLE_STATUSES", "TermsError"]
from . import content as terms_content

TERMS_FIELDS = terms_content.SCALAR_FIELDS


def latest_version(partnership: Partnership) -> TermsVersion | None:
    return partnership.versions.order_by("-number").first()


def copy_version(source: TermsVersion, *, into: Partnership, number: int, by: User):
    copy = TermsVersion.objects.create(
        partnership=into,
        number=number,
        created_by=by,
        **{name: getattr(source, name) for name in TERMS_FIELDS},
    )
    copy_children(
        source, copy, same_influencer=source.partnership.influencer_id == into.influencer_id
    )
    return copy


def copy_children(source: TermsVersion, target: TermsVersion, *, same_influencer: bool) -> None:
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
    partnership = lock(partnership)
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
    return copy_version(latest, into=partnership, number=latest.number + 1, by=by)


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
    lock(version.partnership)
    version = _check_draft(version)
    influencer_id = version.partnership.influencer_id
    for row in data.deliverables:
        if row["channel"].influencer_id != influencer_id:
            raise TermsError(
                _("%(channel)s belongs to another influencer.") % {"channel": row["channel"]},
                code="foreign_channel",
            )
    model_update(
        version,
        fields=data.fields,
        allowed=TERMS_FIELDS,
        exclude=["partnership", "created_by", "proposed_by"],
    )
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
    partnership = lock(version.partnership)
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
    if settings.TERMS_PDF_AT_PROPOSAL:  # frozen now: its PDF never changes
        nudge_on_commit(tasks.render_terms_pdfs, version.pk)
    if partnership.status == Status.DRAFT:
        set_status(partnership, Status.PROPOSED)
    notifications.proposal_enqueue(version=version)
    return version


@transaction.atomic
def terms_accept(*, version: TermsVersion, by: User, ip: str | None, user_agent: str) -> Acceptance:
    """Record that the influencer accepted exactly this version."""
    partnership = lock(version.partnership)
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
    if settings.TERMS_PDF_AT_PROPOSAL:  # the PDF that names the acceptance
        nudge_on_commit(tasks.render_terms_pdfs, version.pk)
    if partnership.status == Status.PROPOSED:
        set_status(partnership, Status.ACCEPTED)
    notifications.acceptance_enqueue(acceptance=acceptance)
    return acceptance


@transaction.atomic
def terms_request_changes(*, version: TermsVersion, by: User, message: str) -> ChangeRequest:
    """The influencer answers a proposal with a request for changes instead of accepting."""
    partnership = lock(version.partnership)
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
    notifications.change_request_enqueue(change=change)
    return change


@transaction.atomic
def terms_decline(*, version: TermsVersion, by: User, reason: str = "") -> Partnership:
    """The influencer turns the offer down: the proposed partnership becomes declined,
    the reason (if any) kept as the history's change reason, and the brand is told."""
    partnership = lock(version.partnership)
    if by.is_marketer or partnership.influencer.user_id != by.pk:
        raise TermsError(_("Only the influencer can decline their offer."), code="not_party")
    if partnership.status == Status.DECLINED:
        raise TermsError(_("You already declined this offer."), code="twice")
    latest = partnership.versions.exclude(proposed_at=None).order_by("-number").first()
    if version.is_draft or latest is None or latest.pk != version.pk:
        raise TermsError(
            _("These terms were replaced by a newer version; read that one first."),
            code="superseded",
        )
    if Acceptance.objects.filter(version=version).exists():
        raise TermsError(_("You already accepted these terms."), code="accepted")
    if partnership.status != Status.PROPOSED:
        raise TermsError(_("Only an offer still on the table can be declined."), code="closed")
    set_status(partnership, Status.DECLINED, reason=reason.strip())
    notifications.decline_enqueue(partnership=partnership, reason=reason.strip())
    return partnership
