"""The emails partnerships send, composed inside the transaction that made the news.

Each `*_enqueue` function is called by a service (or a legacy task shim) while its
transaction is open: the email goes into the outbox (accounts.outbox) with the change,
keyed on what it announces, so a repeat call adds nothing. Emails read in the site's
language, as they did when workers composed them.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import outbox
from accounts.invitations import invitation_email_enqueue
from accounts.models import Invitation, User

from .models import Acceptance, ChangeRequest, Partnership, Submission, TermsVersion


def marketer_recipients(partnership: Partnership) -> list[str]:
    """The partnership's owner, else every active admin."""
    if partnership.owner and partnership.owner.is_active:
        return [partnership.owner.email]
    return list(
        User.objects.filter(role=User.Role.ADMIN, is_active=True).values_list("email", flat=True)
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _site_language():
    return translation.override(settings.LANGUAGE_CODE)


def _describe(submission: Submission) -> str:
    deliverable = submission.deliverable
    return _("%(format)s %(piece)s of %(quantity)s on %(channel)s") % {
        "format": deliverable.get_format_display(),
        "piece": submission.piece,
        "quantity": deliverable.quantity,
        "channel": deliverable.channel,
    }


# --- Handed-in posts (coalesced per partnership) -----------------------------------


def hand_in_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.HAND_IN_NOTICE_WINDOW_MINUTES)


def handed_in_enqueue(*, submission: Submission) -> None:
    """Tell the marketer a post was handed in. Hand-ins of one partnership within the
    window share one email, sent when the window closes: the first opens it, the
    later ones rewrite its list of posts while it still waits."""
    partnership = submission.partnership
    recipients = marketer_recipients(partnership)
    if not recipients:
        return
    prefix = f"handed-in:{partnership.pk}:"
    pending = outbox.pending_for_update(prefix)
    opened = pending.send_after - hand_in_window() if pending else submission.submitted_at
    posts = list(
        Submission.objects.filter(
            partnership=partnership,
            status=Submission.Status.SUBMITTED,
            submitted_at__gte=opened,
        )
        .exclude(pk=submission.pk)
        .select_related("deliverable__channel")
        .order_by("submitted_at")
    ) + [submission]
    with _site_language():
        subject, body = _handed_in_message(partnership, posts)
    if pending is not None:
        outbox.rewrite(pending, subject=subject, body=body, recipients=recipients)
        return
    outbox.enqueue(
        f"{prefix}{submission.pk}:{submission.submitted_at.isoformat()}",
        subject,
        body,
        recipients,
        send_after=submission.submitted_at + hand_in_window(),
    )


def _handed_in_message(partnership: Partnership, posts: list[Submission]) -> tuple[str, str]:
    names = {"influencer": partnership.influencer.name, "campaign": partnership.campaign.name}
    subject = ngettext(
        "%(influencer)s handed in a post for %(campaign)s",
        "%(influencer)s handed in %(n)s posts for %(campaign)s",
        len(posts),
    ) % {**names, "n": len(posts)}
    lines = "\n".join(f"- {_describe(post)}:\n  {post.post_url}" for post in posts)
    body = _("%(posts)s\n\nApprove them or ask for a fix here:\n%(link)s\n") % {
        "posts": lines,
        "link": _absolute(reverse("partnerships:detail", args=[partnership.pk])),
    }
    return subject, body


def reviewed_enqueue(*, submission: Submission) -> None:
    """Tell the influencer whether their post was approved or needs a fix."""
    partnership = submission.partnership
    user = partnership.influencer.user
    if user is None or not user.is_active:
        return
    with _site_language():
        what = {"what": _describe(submission)}
        if submission.status == Submission.Status.APPROVED:
            subject = _("Your post for %(brand)s was approved")
            verdict = _("Approved: %(what)s.") % what
        else:
            subject = _("Your post for %(brand)s needs a fix")
            verdict = _("Needs a fix: %(what)s.") % what
        subject = subject % {"brand": partnership.campaign.brand}
    comment = f"{submission.review_comment}\n\n" if submission.review_comment else ""
    link = _absolute(reverse("portal:partnership", args=[partnership.pk]))
    outbox.enqueue(
        f"submission-reviewed:{submission.pk}:{submission.reviewed_at.isoformat()}",
        subject,
        f"{verdict}\n{submission.post_url}\n\n{comment}{link}\n",
        [user.email],
    )


# --- Acceptances, change requests, declines -----------------------------------------


def _enqueue_for_marketers(key: str, template: str, context: dict, partnership: Partnership):
    recipients = marketer_recipients(partnership)
    if not recipients:
        return
    link = _absolute(reverse("partnerships:detail", args=[partnership.pk]))
    context = {**context, "partnership": partnership, "link": link}
    with _site_language():
        subject = render_to_string(f"partnerships/email/{template}_subject.txt", context)
        body = render_to_string(f"partnerships/email/{template}_body.txt", context)
    outbox.enqueue(key, subject, body, recipients)


def acceptance_enqueue(*, acceptance: Acceptance) -> None:
    context = {"acceptance": acceptance}
    _enqueue_for_marketers(
        f"acceptance:{acceptance.pk}", "accepted", context, acceptance.partnership
    )


def change_request_enqueue(*, change: ChangeRequest) -> None:
    _enqueue_for_marketers(
        f"change-request:{change.pk}", "changes", {"change": change}, change.partnership
    )


def decline_enqueue(*, partnership: Partnership, reason: str) -> None:
    """Tell the brand that the influencer declined the offer, with their reason."""
    version = partnership.versions.exclude(proposed_at=None).order_by("-number").first()
    context = {"reason": reason, "version": version}
    _enqueue_for_marketers(f"declined:{partnership.pk}", "declined", context, partnership)


def decline_reason(partnership: Partnership) -> str:
    record = partnership.history.filter(status=Partnership.Status.DECLINED).earliest("history_date")
    return record.history_change_reason or ""


# --- Proposals and invitations --------------------------------------------------------


def offer_line(version: TermsVersion) -> str:
    partnership = version.partnership
    return _("%(brand)s offers you version %(n)s of the terms for %(campaign)s") % {
        "brand": partnership.campaign.brand,
        "n": version.number,
        "campaign": partnership.campaign.name,
    }


def proposal_enqueue(*, version: TermsVersion) -> None:
    """Tell the influencer that terms wait for them on the portal (if they can log in)."""
    partnership = version.partnership
    user = partnership.influencer.user
    if user is None or not user.is_active:
        return  # no portal access: the proposal goes out with the invitation instead
    link = _absolute(reverse("portal:partnership", args=[partnership.pk]))
    with _site_language():
        subject = _("%(brand)s sent you terms for %(campaign)s") % {
            "brand": partnership.campaign.brand,
            "campaign": partnership.campaign.name,
        }
        body = _("%(offer)s.\n\nRead them, then accept or ask for changes:\n%(link)s\n") % {
            "offer": offer_line(version),
            "link": link,
        }
    outbox.enqueue(f"proposal:{version.pk}", subject, body, [user.email])


def invitation_with_offer_enqueue(*, invitation: Invitation, partnership: Partnership) -> None:
    """The portal invitation naming the offer waiting behind the link. Same outbox key
    as a plain invitation: one email per link."""
    version = (
        TermsVersion.objects.filter(partnership=partnership)
        .exclude(proposed_at=None)
        .select_related("partnership__campaign")
        .order_by("-number")
        .first()
    )
    with _site_language():
        waiting = [offer_line(version)] if version else []
    invitation_email_enqueue(invitation=invitation, waiting=waiting)
