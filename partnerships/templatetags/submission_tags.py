"""Handed-in posts on the partnership pages.

{% deliverable_pieces version partnership as rows %} gives each deliverable's pieces.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from partnerships.delivery.selectors import DeliverablePieces, pieces_for
from partnerships.delivery.submissions import hand_ins_open
from partnerships.models import Partnership, Submission, TermsVersion

register = template.Library()

BADGES = {
    Submission.Status.SUBMITTED: "text-bg-warning",
    Submission.Status.APPROVED: "text-bg-success",
    Submission.Status.NEEDS_FIX: "text-bg-danger",
}


@register.simple_tag
def deliverable_pieces(
    version: TermsVersion | None, partnership: Partnership
) -> list[DeliverablePieces]:
    """Rows for `version` from `partnership.submissions.all()`: one query, or none when
    the page prefetched the submissions."""
    if version is None:
        return []
    return pieces_for(version, partnership.submissions.all())


@register.simple_tag
def submission_badge(submission: Submission | None) -> str:
    if submission is None:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>', _("Not handed in yet")
        )
    return format_html(
        '<span class="badge {}">{}</span>',
        BADGES.get(submission.status, "text-bg-secondary"),
        submission.get_status_display(),
    )


register.filter("hand_ins_open", hand_ins_open)
