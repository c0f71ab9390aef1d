"""Emails about handed-in posts. Thin tasks: they take ids, load, and send.

Queued with transaction.on_commit by the services. Each checks the state first,
so a late or repeated run does not announce news that is no longer true.
"""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.invitations import invitation_email_send
from accounts.models import Invitation, User
from accounts.outbox import EMAIL_RETRY as RETRY
from accounts.outbox import send_mail_once

from .models import Acceptance, ChangeRequest, Partnership, Submission, TermsVersion


def _load(submission_id: int) -> Submission | None:
    return (
        Submission.objects.select_related(
            "deliverable__channel",
            "partnership__campaign",
            "partnership__influencer__user",
            "partnership__owner",
        )
        .filter(pk=submission_id)
        .first()
    )


@shared_task(name="partnerships.notify_submission_handed_in", **RETRY)
def notify_submission_handed_in(submission_id: int) -> None:
    """Tell the partnership's owner (else the active admins) that a post was handed in."""
    submission = _load(submission_id)
    if submission is None or submission.status != Submission.Status.SUBMITTED:
        return  # reviewed already by the time this ran: nothing left to ask for
    partnership = submission.partnership
    recipients = marketer_recipients(partnership)
    if not recipients:
        return
    subject = _("%(influencer)s handed in a post for %(campaign)s") % {
        "influencer": partnership.influencer.name,
        "campaign": partnership.campaign.name,
    }
    body = _("%(what)s:\n%(url)s\n\nApprove it or ask for a fix here:\n%(link)s\n") % {
        "what": _describe(submission),
        "url": submission.post_url,
        "link": _absolute(reverse("partnerships:detail", args=[partnership.pk])),
    }
    key = f"submission-handed-in:{submission.pk}:{submission.submitted_at.isoformat()}"
    send_mail_once(key, subject, body, recipients)


@shared_task(name="partnerships.notify_submission_reviewed", **RETRY)
def notify_submission_reviewed(submission_id: int) -> None:
    """Tell the influencer whether their post was approved or needs a fix."""
    submission = _load(submission_id)
    if submission is None or submission.status == Submission.Status.SUBMITTED:
        return  # handed in again since the review: this news is stale
    partnership = submission.partnership
    user = partnership.influencer.user
    if user is None or not user.is_active:
        return
    what = {"what": _describe(submission)}
    if submission.status == Submission.Status.APPROVED:
        subject = _("Your post for %(brand)s was approved")
        verdict = _("Approved: %(what)s.") % what
    else:
        subject = _("Your post for %(brand)s needs a fix")
        verdict = _("Needs a fix: %(what)s.") % what
    comment = f"{submission.review_comment}\n\n" if submission.review_comment else ""
    link = _absolute(reverse("portal:partnership", args=[partnership.pk]))
    body = f"{verdict}\n{submission.post_url}\n\n{comment}{link}\n"
    send_mail_once(
        f"submission-reviewed:{submission.pk}:{submission.reviewed_at.isoformat()}",
        subject % {"brand": partnership.campaign.brand},
        body,
        [user.email],
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _describe(submission: Submission) -> str:
    deliverable = submission.deliverable
    return _("%(format)s %(piece)s of %(quantity)s on %(channel)s") % {
        "format": deliverable.get_format_display(),
        "piece": submission.piece,
        "quantity": deliverable.quantity,
        "channel": deliverable.channel,
    }


# --- Acceptances and change requests --------------------------------------------


def marketer_recipients(partnership: Partnership) -> list[str]:
    """The partnership's owner, else every active admin."""
    if partnership.owner and partnership.owner.is_active:
        return [partnership.owner.email]
    return list(
        User.objects.filter(role=User.Role.ADMIN, is_active=True).values_list("email", flat=True)
    )


def _send(key: str, template: str, context: dict, partnership: Partnership) -> None:
    recipients = marketer_recipients(partnership)
    if not recipients:
        return
    link = _absolute(reverse("partnerships:detail", args=[partnership.pk]))
    context = {**context, "partnership": partnership, "link": link}
    subject = render_to_string(f"partnerships/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"partnerships/email/{template}_body.txt", context)
    send_mail_once(key, subject, body, recipients)


@shared_task(name="partnerships.notify_acceptance", **RETRY)
def notify_acceptance(acceptance_id: int) -> None:
    acceptance = Acceptance.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).get(pk=acceptance_id)
    _send(
        f"acceptance:{acceptance.pk}",
        "accepted",
        {"acceptance": acceptance},
        acceptance.partnership,
    )


@shared_task(name="partnerships.notify_change_request", **RETRY)
def notify_change_request(change_request_id: int) -> None:
    change = ChangeRequest.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).get(pk=change_request_id)
    _send(f"change-request:{change.pk}", "changes", {"change": change}, change.partnership)


@shared_task(name="partnerships.notify_decline", **RETRY)
def notify_decline(partnership_id: int) -> None:
    """Tell the brand that the influencer declined the offer, with their reason."""
    partnership = (
        Partnership.objects.select_related("campaign", "influencer", "owner")
        .filter(pk=partnership_id, status=Partnership.Status.DECLINED)
        .first()
    )
    if partnership is None:
        return  # reopened or gone by the time this ran
    record = partnership.history.filter(status=Partnership.Status.DECLINED).earliest("history_date")
    version = partnership.versions.exclude(proposed_at=None).order_by("-number").first()
    context = {"reason": record.history_change_reason or "", "version": version}
    _send(f"declined:{partnership.pk}", "declined", context, partnership)


# --- Proposals ----------------------------------------------------------------------


def _offer_line(version: TermsVersion) -> str:
    partnership = version.partnership
    return _("%(brand)s offers you version %(n)s of the terms for %(campaign)s") % {
        "brand": partnership.campaign.brand,
        "n": version.number,
        "campaign": partnership.campaign.name,
    }


def _load_version(version_id: int) -> TermsVersion | None:
    return (
        TermsVersion.objects.select_related(
            "partnership__campaign", "partnership__influencer__user"
        )
        .filter(pk=version_id)
        .first()
    )


@shared_task(name="partnerships.notify_proposal", **RETRY)
def notify_proposal(version_id: int) -> None:
    """Tell the influencer that terms wait for them on the portal (if they can log in)."""
    version = _load_version(version_id)
    if version is None or version.is_draft:
        return
    partnership = version.partnership
    user = partnership.influencer.user
    if user is None or not user.is_active:
        return  # no portal access: the proposal goes out with the invitation instead
    link = _absolute(reverse("portal:partnership", args=[partnership.pk]))
    subject = _("%(brand)s sent you terms for %(campaign)s") % {
        "brand": partnership.campaign.brand,
        "campaign": partnership.campaign.name,
    }
    body = _("%(offer)s.\n\nRead them, then accept or ask for changes:\n%(link)s\n") % {
        "offer": _offer_line(version),
        "link": link,
    }
    send_mail_once(f"proposal:{version.pk}", subject, body, [user.email])


@shared_task(name="partnerships.send_invitation_with_offer", **RETRY)
def send_invitation_with_offer(invitation_id: int, partnership_id: int) -> None:
    """The portal invitation, naming the brand and the offer waiting behind the link.
    Same send-once key as a plain invitation: one email per link."""
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    version = (
        TermsVersion.objects.filter(partnership_id=partnership_id)
        .exclude(proposed_at=None)
        .select_related("partnership__campaign")
        .order_by("-number")
        .first()
    )
    if invitation is None:
        return
    waiting = [_offer_line(version)] if version else []
    invitation_email_send(invitation=invitation, waiting=waiting)


@shared_task(name="partnerships.render_terms_pdfs")
def render_terms_pdfs(version_id: int) -> None:
    """Render and store a proposed version's PDFs (see terms.pdfs); safe to run twice."""
    from .terms import pdfs  # terms imports this module

    pdfs.terms_pdfs_render(version_id=version_id)
