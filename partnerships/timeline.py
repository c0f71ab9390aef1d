"""One chronological stream per influencer: contacts, stage changes, terms versions and
acceptances, posts handed in, shipments. A fixed number of queries (one per source)."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from influencers.models import Influencer, Stage

from .models import Acceptance, Contact, Shipment, Submission, TermsVersion

LIMIT = 200  # per source; the page is a recent history, not an archive


@dataclass
class Event:
    at: datetime.datetime
    kind: str
    icon: str
    title: str
    detail: str = ""
    link: str = ""


def _midday(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def influencer_timeline(influencer: Influencer) -> list[Event]:
    events: list[Event] = []
    for contact in influencer.contacts.select_related("logged_by", "partnership__campaign")[:LIMIT]:
        detail = contact.summary
        if contact.place:
            detail = f"{contact.place} · {detail}"
        events.append(
            Event(
                contact.happened_at,
                "contact",
                "bi-people" if contact.kind == Contact.Kind.MEETING else "bi-chat-dots",
                f"{contact.get_kind_display()} · {contact.logged_by or ''}".strip(" ·"),
                detail,
            )
        )
    for change in influencer.stage_changes.select_related("changed_by")[:LIMIT]:
        title = (
            _("Stage: %(from)s → %(to)s")
            % {"from": Stage(change.from_stage).label, "to": Stage(change.to_stage).label}
            if change.from_stage
            else _("Added as %(to)s") % {"to": Stage(change.to_stage).label}
        )
        events.append(
            Event(change.changed_at, "stage", "bi-signpost", title, str(change.changed_by or ""))
        )
    versions = (
        TermsVersion.objects.filter(partnership__influencer=influencer, proposed_at__isnull=False)
        .select_related("partnership__campaign")
        .order_by("-proposed_at")[:LIMIT]
    )
    for version in versions:
        events.append(
            Event(
                version.proposed_at,
                "terms",
                "bi-file-earmark-text",
                _("Terms v%(n)s proposed · %(campaign)s")
                % {"n": version.number, "campaign": version.partnership.campaign.name},
                link=reverse(
                    "partnerships:terms_document", args=[version.partnership_id, version.number]
                ),
            )
        )
    acceptances = Acceptance.objects.filter(partnership__influencer=influencer).select_related(
        "version", "partnership__campaign"
    )[:LIMIT]
    for acceptance in acceptances:
        events.append(
            Event(
                acceptance.accepted_at,
                "acceptance",
                "bi-check2-circle",
                _("Accepted terms v%(n)s · %(campaign)s")
                % {
                    "n": acceptance.version.number,
                    "campaign": acceptance.partnership.campaign.name,
                },
            )
        )
    submissions = (
        Submission.objects.filter(partnership__influencer=influencer)
        .select_related("deliverable__channel")
        .order_by("-submitted_at")[:LIMIT]
    )
    for submission in submissions:
        events.append(
            Event(
                submission.submitted_at,
                "submission",
                "bi-link-45deg",
                _("Handed in a post for %(deliverable)s") % {"deliverable": submission.deliverable},
                submission.get_status_display(),
                submission.post_url,
            )
        )
    shipments = Shipment.objects.filter(partnership__influencer=influencer).order_by("-created_at")[
        :LIMIT
    ]
    for shipment in shipments:
        if shipment.sent_on:
            events.append(
                Event(
                    _midday(shipment.sent_on),
                    "shipment",
                    "bi-box-seam",
                    _("Sent %(item)s") % {"item": shipment.item},
                    f"{shipment.carrier} {shipment.tracking_number}".strip(),
                )
            )
        if shipment.delivered_on:
            events.append(
                Event(
                    _midday(shipment.delivered_on),
                    "shipment",
                    "bi-box2-heart",
                    _("Delivered %(item)s") % {"item": shipment.item},
                )
            )
    events.sort(key=lambda event: event.at, reverse=True)
    return events
