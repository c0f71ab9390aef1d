"""Writes to the roster. Views, the CSV import, the admin and seed data all go
through these functions so the rules (one owner per channel, research before
pitching, every stage change recorded) hold on every path."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import PROTECT, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.images import fetch_image
from common.services import model_update
from common.validators import MAX_FOLLOWERS

from . import handles
from .models import (
    PENDING_IMPORT_TTL,
    STAGES_NEEDING_RESEARCH,
    Channel,
    Influencer,
    PendingImport,
    ResearchCheck,
    ResearchItem,
    Stage,
    StageChange,
)
from .selectors import research_missing

INFLUENCER_FIELDS = (
    "name",
    "email",
    "phone",
    "country",
    "city",
    "languages",
    "niches",
    "bio",
    "internal_notes",
    "owner",
)


def clean_tags(values, *, lower: bool = True) -> list[str]:
    """Trimmed tags without duplicates (ignoring case), in their first-seen order."""
    seen: dict[str, str] = {}
    for value in values or []:
        tag = str(value).strip().lstrip("#")[:40]
        if tag:
            seen.setdefault(tag.lower(), tag.lower() if lower else tag)
    return list(seen.values())


def channel_owner(
    platform: str, handle: str, *, exclude_pk: int | None = None
) -> Influencer | None:
    qs = Channel.objects.filter(platform=platform, handle=handle).select_related("influencer")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    channel = qs.first()
    return channel.influencer if channel else None


def duplicate_channel_error(platform: str, handle: str, owner: Influencer) -> ValidationError:
    return ValidationError(
        _("This %(platform)s account already belongs to %(name)s.")
        % {"platform": dict(Channel._meta.get_field("platform").choices)[platform], "name": owner},
        code="duplicate_channel",
    )


@transaction.atomic
def influencer_create(
    *, by: User | None, stage: str = Stage.PROSPECT, channels: list[dict] = (), **fields
) -> Influencer:
    """A new profile and its first channels (`channel_add` keywords), all or nothing."""
    fields["languages"] = clean_tags(fields.get("languages"), lower=False)
    fields["niches"] = clean_tags(fields.get("niches"))
    influencer = Influencer(stage=stage, **fields)
    if influencer.owner_id is None and by is not None and by.is_marketer:
        influencer.owner = by
    influencer.full_clean()
    _save_influencer(influencer)
    StageChange.objects.create(influencer=influencer, from_stage="", to_stage=stage, changed_by=by)
    for channel in channels:
        channel_add(influencer=influencer, **channel)
    return influencer


@dataclass
class NewChannel:
    platform: str
    handle: str  # already normalised
    url: str
    followers: int | None = None


@dataclass
class NewInfluencer:
    fields: dict
    stage: str = Stage.PROSPECT
    channels: list[NewChannel] = field(default_factory=list)


@transaction.atomic
def influencer_bulk_create(*, entries: list[NewInfluencer], by: User) -> list[Influencer]:
    """Create many influencers at once (the CSV import): a few queries per thousand rows.

    The caller has validated every entry (handles normalised, no duplicates, no stage
    that needs research). The database constraints stay the last word: a clash saved
    meanwhile raises IntegrityError and the whole batch rolls back.
    """
    now = timezone.now()
    influencers = []
    for entry in entries:
        fields = dict(entry.fields)
        fields["languages"] = clean_tags(fields.get("languages"), lower=False)
        fields["niches"] = clean_tags(fields.get("niches"))
        fields.setdefault("owner", by)
        fields["owner"] = fields["owner"] or by
        influencers.append(Influencer(stage=entry.stage, created_at=now, **fields))
    Influencer.objects.bulk_create(influencers, batch_size=1000)
    StageChange.objects.bulk_create(
        [
            StageChange(influencer=influencer, to_stage=influencer.stage, changed_by=by)
            for influencer in influencers
        ],
        batch_size=1000,
    )
    Channel.objects.bulk_create(
        [
            Channel(
                influencer=influencer,
                platform=channel.platform,
                handle=channel.handle,
                profile_url=channel.url,
                followers=channel.followers,
                followers_as_of=timezone.localdate(now) if channel.followers is not None else None,
                is_primary=position == 0,
            )
            for influencer, entry in zip(influencers, entries, strict=True)
            for position, channel in enumerate(entry.channels)
        ],
        batch_size=1000,
    )
    return influencers


@transaction.atomic
def influencer_update(*, influencer: Influencer, by: User, **fields) -> Influencer:
    if "languages" in fields:
        fields["languages"] = clean_tags(fields["languages"], lower=False)
    if "niches" in fields:
        fields["niches"] = clean_tags(fields["niches"])
    model_update(influencer, fields=fields, allowed=INFLUENCER_FIELDS, save=False)
    return _save_influencer(influencer)


def _save_influencer(influencer: Influencer) -> Influencer:
    """Save after `full_clean`; an email taken by a request that committed in between
    (full_clean saw it free) is a ValidationError on the email, not a server error."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            influencer.save()
    except IntegrityError as exc:
        if "influencer_email_ci_unique" not in str(exc):
            raise
        raise ValidationError(
            {"email": _("Someone just added an influencer with this email.")},
            code="duplicate_email",
        ) from exc
    return influencer


@transaction.atomic
def influencer_move_stage(*, influencer: Influencer, to_stage: str, by: User | None) -> Influencer:
    # Lock the row so two people dragging the same card record one change each, in order.
    influencer = Influencer.objects.select_for_update().get(pk=influencer.pk)
    if to_stage not in Stage.values:
        raise ValidationError(_("Unknown stage."), code="unknown_stage")
    if influencer.stage == to_stage:
        return influencer
    if to_stage in STAGES_NEEDING_RESEARCH:
        missing = research_missing(influencer)
        if missing:
            raise ValidationError(
                _("Finish the research before moving %(name)s to %(stage)s. Missing: %(missing)s.")
                % {
                    "name": influencer.name,
                    "stage": Stage(to_stage).label,
                    "missing": ", ".join(missing),
                },
                code="research_incomplete",
            )
    StageChange.objects.create(
        influencer=influencer, from_stage=influencer.stage, to_stage=to_stage, changed_by=by
    )
    influencer.stage = to_stage
    influencer.save(update_fields=["stage", "updated_at"])
    return influencer


def _save_channel(channel: Channel) -> Channel:
    owner = channel_owner(channel.platform, channel.handle, exclude_pk=channel.pk)
    if owner is not None:
        raise duplicate_channel_error(channel.platform, channel.handle, owner)
    # Field bounds and clean() (a follower count, a date); the constraints are the
    # database's last word below, the one-owner rule got its friendly message above.
    try:
        channel.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:  # callers show a channel's errors next to its handle
        raise ValidationError(exc.messages, code="invalid_channel") from exc
    if channel.is_primary:
        channel.influencer.channels.exclude(pk=channel.pk).update(is_primary=False)
    elif not channel.influencer.channels.exclude(pk=channel.pk).filter(is_primary=True).exists():
        channel.is_primary = True  # the first channel is the primary one until told otherwise
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError as exc:
        # Someone saved the same account a moment ago: the constraint is the last word.
        owner = channel_owner(channel.platform, channel.handle, exclude_pk=channel.pk)
        if owner is None:
            raise
        raise duplicate_channel_error(channel.platform, channel.handle, owner) from exc
    return channel


@transaction.atomic
def channel_add(
    *,
    influencer: Influencer,
    platform: str,
    handle: str,
    followers: int | None = None,
    account_id: str = "",
    is_primary: bool = False,
    followers_as_of=None,
) -> Channel:
    normalised = handles.normalise(platform, handle)
    channel = Channel(
        influencer=influencer,
        platform=platform,
        handle=normalised.handle,
        profile_url=normalised.url,
        account_id=account_id,
        followers=followers,
        followers_as_of=(followers_as_of or timezone.localdate())
        if followers is not None
        else None,
        followers_source=Channel.FollowerSource.MANUAL,
        is_primary=is_primary,
    )
    return _save_channel(channel)


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    platform: str,
    handle: str,
    followers: int | None,
    account_id: str = "",
    is_primary: bool = False,
) -> Channel:
    normalised = handles.normalise(platform, handle)
    renamed = (platform, normalised.handle) != (channel.platform, channel.handle)
    if renamed and _protected_by_others(channel):
        raise ValidationError(
            _(
                "%(channel)s is part of proposed or agreed terms, so it stays that account. "
                "If they moved to a new account, add it as a new channel."
            )
            % {"channel": channel},
            code="channel_in_terms",
        )
    if followers != channel.followers:
        channel.followers_as_of = timezone.localdate() if followers is not None else None
        channel.followers_source = Channel.FollowerSource.MANUAL
    channel.platform = platform
    channel.handle = normalised.handle
    channel.profile_url = normalised.url
    channel.followers = followers
    channel.account_id = account_id
    channel.is_primary = is_primary
    return _save_channel(channel)


def _protected_by_others(obj) -> bool:
    """Whether rows of other apps hold on to `obj` (on_delete=PROTECT), without naming
    those apps: influencers sits below them and must not import them."""
    for relation in obj._meta.related_objects:
        if (
            relation.on_delete is PROTECT
            and relation.related_model._default_manager.filter(
                **{relation.field.name: obj}
            ).exists()
        ):
            return True
    return False


@transaction.atomic
def channel_remove(*, channel: Channel) -> None:
    influencer = channel.influencer
    was_primary = channel.is_primary
    try:
        with transaction.atomic():
            channel.delete()
    except ProtectedError as exc:  # deliverables in terms point at it (partnerships app)
        raise ValidationError(
            _("%(channel)s is part of agreed or proposed terms, so it cannot be removed.")
            % {"channel": channel},
            code="channel_in_terms",
        ) from exc
    if was_primary:
        successor = influencer.channels.order_by("-followers", "pk").first()
        if successor:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])


@transaction.atomic
def research_update(*, influencer: Influencer, by: User, answers: dict[str, tuple[bool, str]]):
    """answers maps a checklist item to (done, note). An item is done when its note is
    filled: writing down what you found is the tick, so `done` follows the note."""
    # One checklist save at a time per influencer: two people saving at once each get
    # their whole checklist applied in turn, never a mix of both.
    Influencer.objects.select_for_update().filter(pk=influencer.pk).first()
    for item, (_done, note) in answers.items():
        if item not in ResearchItem.values:
            raise ValidationError(_("Unknown checklist item."), code="unknown_item")
        note = (note or "").strip()
        ResearchCheck.objects.update_or_create(
            influencer=influencer,
            item=item,
            defaults={"done": bool(note), "note": note, "updated_by": by},
        )


# Uploads one person may have waiting for confirmation (one per open tab, roughly).
KEEP_PENDING_IMPORTS = 3


@transaction.atomic
def pending_import_store(*, by: User, filename: str, text: str) -> PendingImport:
    """Keep an uploaded CSV until its preview is confirmed, and purge what nobody can
    use any more: everyone's expired uploads and this person's beyond the newest few."""
    now = timezone.now()
    PendingImport.objects.filter(created_at__lt=now - PENDING_IMPORT_TTL).delete()
    pending = PendingImport.objects.create(
        uploaded_by=by, filename=filename[:200], text=text, created_at=now
    )
    mine = PendingImport.objects.filter(uploaded_by=by)
    newest = mine.order_by("-created_at", "token")[:KEEP_PENDING_IMPORTS]
    mine.exclude(token__in=newest.values("token")).delete()
    return pending


def pending_import_drop(*, pending: PendingImport) -> None:
    PendingImport.objects.filter(pk=pending.pk).delete()


class ImportAlreadyDone(Exception):
    """Someone (often the same person, clicking twice) consumed this upload already."""


@transaction.atomic
def pending_import_consume(
    *, pending: PendingImport, entries: list[NewInfluencer], by: User
) -> list[Influencer]:
    """Import `entries` from an upload and use the upload up, in one transaction: of two
    requests for the same upload, the second waits on the row's delete and finds nothing
    left to import. IntegrityError (a clash saved meanwhile) rolls both back."""
    claimed, _by_model = PendingImport.objects.filter(pk=pending.pk).delete()
    if not claimed:
        raise ImportAlreadyDone
    return influencer_bulk_create(entries=entries, by=by)


def channel_followers_measured(*, channel_id: int, followers: int, on) -> None:
    """A collector counted the channel's followers on `on`: the profile shows that count
    (measured), unless a count from a later day is already there."""
    followers = min(int(followers), MAX_FOLLOWERS)
    Channel.objects.filter(pk=channel_id).filter(
        Q(followers_as_of__isnull=True) | Q(followers_as_of__lte=on)
    ).update(
        followers=followers,
        followers_as_of=on,
        followers_source=Channel.FollowerSource.COLLECTOR,
    )


def channel_picture_save(*, channel_id: int, picture_url: str) -> Channel | None:
    """Copy the channel's profile picture into the media storage, once (only while it has
    none: platform CDN links expire)."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None or channel.picture or not picture_url:
        return channel
    picture = fetch_image(picture_url, name=f"channel-{channel.pk}")
    if picture is None:
        return channel
    channel.picture.save(picture.name, picture, save=False)
    if not Channel.objects.filter(pk=channel_id, picture="").update(picture=channel.picture.name):
        channel.picture.storage.delete(channel.picture.name)
    return channel
