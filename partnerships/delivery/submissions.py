"""Writes for handed-in posts: the influencer hands in a link per piece of a deliverable,
a marketer approves it or asks for a fix. Their emails go into the outbox in the same
transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from influencers.handles import validate_post_url

from .. import notifications
from ..models import Acceptance, Deliverable, Partnership, Submission

HAND_IN_STATUSES = {Partnership.Status.ACCEPTED, Partnership.Status.ACTIVE}
REPLACEABLE = {Submission.Status.SUBMITTED, Submission.Status.NEEDS_FIX}
MAX_URL_LENGTH = Submission._meta.get_field("post_url").max_length
MAX_COMMENT_LENGTH = Submission._meta.get_field("review_comment").max_length


def hand_ins_open(partnership: Partnership) -> bool:
    return partnership.status in HAND_IN_STATUSES


def clean_post_url(platform: str, raw: str) -> str:
    """The link as handed in, or a ValidationError that says what is wrong with it."""
    text = (raw or "").strip()
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(
            _("That link is too long (at most %(max)s characters).") % {"max": MAX_URL_LENGTH},
            code="too_long",
        )
    return validate_post_url(platform, text)


@transaction.atomic
def submission_hand_in(
    *, deliverable: Deliverable, piece: int, post_url: str, by: User
) -> Submission:
    # Lock the partnership: two hand-ins for one piece (or a review racing a hand-in)
    # then run one after the other instead of colliding on the unique constraint.
    partnership = Partnership.objects.select_for_update().get(pk=deliverable.version.partnership_id)
    deliverable = Deliverable.objects.select_related("channel", "version").get(pk=deliverable.pk)
    _check_can_hand_in(partnership, deliverable, piece, by)
    try:
        url = clean_post_url(deliverable.channel.platform, post_url)
    except ValidationError as exc:
        raise ValidationError({"post_url": exc.error_list}) from exc
    submission = (
        Submission.objects.select_for_update().filter(deliverable=deliverable, piece=piece).first()
    )
    if submission is None:
        submission = Submission(partnership=partnership, deliverable=deliverable, piece=piece)
    elif submission.status not in REPLACEABLE:
        raise ValidationError(
            _("This piece was already approved, so its link cannot be changed."), code="approved"
        )
    submission.post_url = url
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = timezone.now()
    submission.review_comment, submission.reviewed_by, submission.reviewed_at = "", None, None
    submission._history_user = by
    submission.save()
    notifications.handed_in_enqueue(submission=submission)
    return submission


def _check_can_hand_in(
    partnership: Partnership, deliverable: Deliverable, piece: int, by: User
) -> None:
    if partnership.influencer.user_id != by.pk:
        raise PermissionDenied
    if partnership.status not in HAND_IN_STATUSES:
        raise ValidationError(
            _("Posts can be handed in only while the partnership is accepted or active."),
            code="closed",
        )
    in_force = (
        Acceptance.objects.filter(partnership=partnership)
        .order_by("-version__number")
        .values_list("version_id", flat=True)
        .first()
    )
    if in_force is None or deliverable.version_id != in_force:
        raise ValidationError(
            _("These terms are not the ones in force; hand in against the terms you accepted."),
            code="not_in_force",
        )
    if not 1 <= piece <= deliverable.quantity:
        raise ValidationError(
            {"piece": _("Choose a piece from 1 to %(n)s.") % {"n": deliverable.quantity}},
            code="piece",
        )


@transaction.atomic
def submission_review(
    *, submission: Submission, by: User, approve: bool, comment: str
) -> Submission:
    if not by.can_edit:
        raise PermissionDenied
    Partnership.objects.select_for_update().get(pk=submission.partnership_id)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": _("Say what needs fixing, so the influencer knows what to change.")},
            code="comment_required",
        )
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "comment": _("Keep the comment under %(max)s characters.")
                % {"max": MAX_COMMENT_LENGTH}
            }
        )
    if submission.status == Submission.Status.APPROVED:
        raise ValidationError(_("This piece is already approved."), code="approved")
    submission.status = Submission.Status.APPROVED if approve else Submission.Status.NEEDS_FIX
    submission.review_comment = comment
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission._history_user = by
    submission.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    notifications.reviewed_enqueue(submission=submission)
    return submission
