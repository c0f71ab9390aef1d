"""Task names kept from before the outbox, as thin shims.

Services now put their emails in the outbox (partnerships.notifications) inside their
own transaction. Messages queued under these names before a deploy still arrive: each
shim loads the object, checks the news is still true, and enqueues the same email
under the same key, so it goes out once however often the message is delivered.
"""

from celery import shared_task
from django.db import transaction

from accounts.models import Invitation

from . import notifications
from .models import Acceptance, ChangeRequest, Partnership, Submission, TermsVersion

_SUBMISSION_RELATED = (
    "deliverable__channel",
    "partnership__campaign",
    "partnership__influencer__user",
    "partnership__owner",
)


@shared_task(name="partnerships.notify_submission_handed_in", ignore_result=True)
@transaction.atomic
def notify_submission_handed_in(submission_id: int) -> None:
    submission = Submission.objects.select_related(*_SUBMISSION_RELATED).filter(pk=submission_id)
    submission = submission.first()
    if submission is not None and submission.status == Submission.Status.SUBMITTED:
        notifications.handed_in_enqueue(submission=submission)


@shared_task(name="partnerships.notify_submission_reviewed", ignore_result=True)
@transaction.atomic
def notify_submission_reviewed(submission_id: int) -> None:
    submission = Submission.objects.select_related(*_SUBMISSION_RELATED).filter(pk=submission_id)
    submission = submission.first()
    if submission is not None and submission.status != Submission.Status.SUBMITTED:
        notifications.reviewed_enqueue(submission=submission)


@shared_task(name="partnerships.notify_acceptance", ignore_result=True)
@transaction.atomic
def notify_acceptance(acceptance_id: int) -> None:
    acceptance = Acceptance.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).filter(pk=acceptance_id)
    if (acceptance := acceptance.first()) is not None:
        notifications.acceptance_enqueue(acceptance=acceptance)


@shared_task(name="partnerships.notify_change_request", ignore_result=True)
@transaction.atomic
def notify_change_request(change_request_id: int) -> None:
    change = ChangeRequest.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).filter(pk=change_request_id)
    if (change := change.first()) is not None:
        notifications.change_request_enqueue(change=change)


@shared_task(name="partnerships.notify_decline", ignore_result=True)
@transaction.atomic
def notify_decline(partnership_id: int) -> None:
    partnership = (
        Partnership.objects.select_related("campaign", "influencer", "owner")
        .filter(pk=partnership_id, status=Partnership.Status.DECLINED)
        .first()
    )
    if partnership is not None:  # else reopened or gone by the time this ran
        reason = notifications.decline_reason(partnership)
        notifications.decline_enqueue(partnership=partnership, reason=reason)


@shared_task(name="partnerships.notify_proposal", ignore_result=True)
@transaction.atomic
def notify_proposal(version_id: int) -> None:
    version = (
        TermsVersion.objects.select_related(
            "partnership__campaign", "partnership__influencer__user"
        )
        .filter(pk=version_id)
        .first()
    )
    if version is not None and not version.is_draft:
        notifications.proposal_enqueue(version=version)


@shared_task(name="partnerships.send_invitation_with_offer", ignore_result=True)
@transaction.atomic
def send_invitation_with_offer(invitation_id: int, partnership_id: int) -> None:
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if invitation is not None and partnership is not None:
        notifications.invitation_with_offer_enqueue(invitation=invitation, partnership=partnership)


@shared_task(name="partnerships.render_terms_pdfs")
def render_terms_pdfs(version_id: int) -> None:
    """Render and store a proposed version's PDFs (see terms.pdfs); safe to run twice."""
    from .terms import pdfs  # terms imports this module

    pdfs.terms_pdfs_render(version_id=version_id)
