"""The contacts section of an influencer's profile (the influencers app includes it by name)."""

from django import template

from influencers.models import Influencer
from partnerships.relationships.forms import ContactForm, FollowUpForm
from partnerships.relationships.selectors import Relationship, contacts_panel

register = template.Library()


@register.inclusion_tag("partnerships/_influencer_contacts.html", takes_context=True)
def influencer_contacts_panel(context, influencer: Influencer, relationship: Relationship) -> dict:
    """`relationship` is the one the partnerships panel shows (influencer_partnerships):
    both forms offer those partnerships, so the database is not asked again."""
    user = context["request"].user
    contact_form = ContactForm(influencer=influencer)
    follow_up_form = FollowUpForm(influencer=influencer, initial={"assignee": user})
    partnerships = [("", "---------"), *relationship.partnership_choices]
    for form in (contact_form, follow_up_form):
        form.fields["partnership"].choices = partnerships
    return {
        "request": context["request"],
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "influencer": influencer,
        **contacts_panel(influencer),
        "contact_form": contact_form,
        "follow_up_form": follow_up_form,
    }
