"""Writes of published posts: from a hand-in, by a marketer's hand, and what the collectors read
about them (caption, permalink, thumbnail).

A hand-in is owned by partnerships (`submission_hand_in`); that it also becomes a post
subject is owned here, so the portal hands in through `post_hand_in`, which does both in
one transaction (hand-ins from before posts existed got theirs in migration 0009).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.images import fetch_image
from influencers.handles import infer_platform, post_id_from_url, validate_post_url
from influencers.models import Channel, Platform
from partnerships.delivery.submissions import submission_hand_in
from partnerships.models import Deliverable, Partnership, Submission

from ..models import Post
from ..models.posts import MAX_CAPTION_LENGTH


def _post_from(submission: Submission, post: Post | None) -> Post:
    channel = submission.deliverable.channel
    post = post or Post(partnership_id=submission.partnership_id, origin=Post.Origin.HAND_IN)
    post.submission = submission
    post.channel = channel
    post.platform = channel.platform
    post.url = submission.post_url
    post.platform_post_id = post_id_from_url(channel.platform, submission.post_url)
    return post


def post_for_submission(submission: Submission) -> Post:
    """The post a hand-in is about: created on the first hand-in, following the link when
    the influencer replaces it, and joining a post a marketer already added by hand."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(submission=submission).first()
        if post is None:
            post = (
                Post.objects.select_for_update()
                .filter(partnership_id=submission.partnership_id, url=submission.post_url)
                .first()
            )
        if post is not None and post.url != submission.post_url:
            # A replaced link is a different post. The old one goes, unless numbers were
            # already recorded about it: those happened, so it stays (detached).
            if post.metric_records.exists():
                post.submission = None
                post.save(update_fields=["submission"])
            else:
                post.delete()
            post = None
        post = _post_from(submission, post)
        post.full_clean(exclude=["thumbnail"], validate_unique=False, validate_constraints=False)
        post.save()
        return post


def post_hand_in(*, deliverable: Deliverable, piece: int, post_url: str, by: User) -> Submission:
    """Hand in a piece on the portal and record it as a published post, all or nothing."""
    with transaction.atomic():
        submission = submission_hand_in(
            deliverable=deliverable, piece=piece, post_url=post_url, by=by
        )
        post_for_submission(submission)
    return submission


def post_add(
    *,
    partnership: Partnership,
    url: str,
    by: User,
    channel: Channel | None = None,
    published_on: datetime.date | None = None,
) -> Post:
    """A marketer records a post by hand (one the influencer did not hand in)."""
    if not by.can_edit:
        raise PermissionDenied
    if channel is not None and channel.influencer_id != partnership.influencer_id:
        raise ValidationError(
            {"channel": _("The channel must be one of this influencer's channels.")}
        )
    platform = channel.platform if channel else (infer_platform(url) or Platform.OTHER)
    try:
        url = validate_post_url(platform, url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.error_list}) from exc
    published_at = None
    if published_on is not None:
        if published_on > timezone.localdate():
            raise ValidationError({"published_on": _("The day cannot be in the future.")})
        published_at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time()))
    post = Post(
        partnership=partnership,
        channel=channel,
        platform=platform,
        url=url,
        platform_post_id=post_id_from_url(platform, url),
        origin=Post.Origin.MARKETER,
        published_at=published_at,
        added_by=by,
    )
    post.full_clean(exclude=["thumbnail"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"url": _("This post is already recorded on this partnership.")}
        ) from exc
    return post


def post_remove(*, post: Post, by: User) -> None:
    """Only a post added by hand can be removed; a hand-in's post follows the hand-in."""
    if not by.can_edit:
        raise PermissionDenied
    if post.origin != Post.Origin.MARKETER:
        raise ValidationError(_("A handed-in post stays while its hand-in does."))
    post.delete()


def post_capture(
    *,
    post_id: int,
    caption: str | None = None,
    permalink: str = "",
    published_at: datetime.datetime | None = None,
    thumbnail_url: str = "",
    paid_label: bool | None = None,
) -> Post | None:
    """What a collector read about a post: its caption, permalink and paid-partnership
    label (overwritten by each answer that tells: the platform knows best), its publish
    time (only while the post has none: a date given on the hand-in or by a marketer is
    kept), and its thumbnail, copied into the media storage once (only while the post has
    none: CDN links expire)."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return None
    fields = {}
    if caption is not None:
        fields["caption"] = caption[:MAX_CAPTION_LENGTH]
    if permalink and len(permalink) <= 500 and permalink.startswith("https://"):
        fields["permalink"] = permalink
    if paid_label is not None:
        fields["paid_label"] = paid_label
    if published_at is not None and post.published_at is None:
        fields["published_at"] = published_at
    if fields:
        Post.objects.filter(pk=post_id).update(**fields)
        for name, value in fields.items():
            setattr(post, name, value)
    if thumbnail_url and not post.thumbnail:
        picture = fetch_image(thumbnail_url, name=f"post-{post.pk}")
        if picture is not None:
            post.thumbnail.save(picture.name, picture, save=False)
            updated = Post.objects.filter(pk=post_id, thumbnail="").update(
                thumbnail=post.thumbnail.name
            )
            if not updated:  # another worker stored one meanwhile: keep theirs
                post.thumbnail.storage.delete(post.thumbnail.name)
    return post
