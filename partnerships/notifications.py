"""Emails to marketers when an influencer acts on the portal.

Tasks take ids, load, and send; they run after the transaction that created the
record has committed (services queue them with transaction.on_commit).
"""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import Acceptance, ChangeRequest, Partnership


def _recipients(partnership: Partnership) -> list[str]:
    """The partnership's owner, else every active admin."""
    if partnership.owner and partnership.owner.is_active:
        return [partnership.owner.email]
    return list(
        User.objects.filter(role=User.Role.ADMIN, is_active=True).values_list("email", flat=True)
    )


def _link(partnership: Partnership) -> str:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("partnerships:detail", args=[partnership.pk])


def _send(template: str, context: dict, partnership: Partnership) -> None:
    recipients = _recipients(partnership)
    if not recipients:
        return
    context = {**context, "partnership": partnership, "link": _link(partnership)}
    subject = render_to_string(f"partnerships/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"partnerships/email/{template}_body.txt", context)
    send_mail(subject, body, None, recipients)


RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="partnerships.notify_acceptance", **RETRY)
def notify_acceptance(acceptance_id: int) -> None:
    acceptance = Acceptance.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).get(pk=acceptance_id)
    _send("accepted", {"acceptance": acceptance}, acceptance.partnership)


@shared_task(name="partnerships.notify_change_request", **RETRY)
def notify_change_request(change_request_id: int) -> None:
    change = ChangeRequest.objects.select_related(
        "version", "partnership__campaign", "partnership__influencer", "partnership__owner"
    ).get(pk=change_request_id)
    _send("changes", {"change": change}, change.partnership)
