"""The contacts section of an influencer's profile (the influencers app includes it by name)."""

from django import template
from django.db.models import Max, Q

from influencers.models import Influencer
from partnerships.models import Contact
from partnerships.relationship_forms import ContactForm, FollowUpForm

register = template.Library()

RECENT = 10


@register.inclusion_tag("partnerships/_influencer_contacts.html", takes_context=True)
def influencer_contacts_panel(context, influencer: Influencer) -> dict:
    user = context["request"].user
    last = influencer.contacts.aggregate(
        contacted=Max("happened_at"),
        met=Max("happened_at", filter=Q(kind=Contact.Kind.MEETING)),
    )
    return {
        "request": context["request"],
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "influencer": influencer,
        "last_contact": last["contacted"],
        "last_met": last["met"],
        "contacts": influencer.contacts.select_related("logged_by", "partnership__campaign")[
            :RECENT
        ],
        "follow_ups": influencer.follow_ups.filter(done_at=None).select_related(
            "assignee", "partnership__campaign", "influencer"
        ),
        "contact_form": ContactForm(influencer=influencer),
        "follow_up_form": FollowUpForm(influencer=influencer, initial={"assignee": user}),
    }
