"""Contacts, meetings, follow-ups and the timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from influencers import services as influencer_services
from partnerships.models import Contact, FollowUp
from partnerships.relationships import services as services
from partnerships.relationships.selectors import influencer_timeline
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, make_partnership


def test_logging_a_call_with_a_follow_up_in_one_step(aina, marketer):
    contact = services.contact_log(
        influencer=aina,
        by=marketer,
        kind=Contact.Kind.CALL,
        summary="Talked about the Raya brief",
        follow_up_in_days=3,
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.contact == contact
    assert follow_up.assignee == marketer
    assert follow_up.due_on == timezone.localdate() + datetime.timedelta(days=3)
    assert "Raya brief" in follow_up.what


def test_follow_up_lifecycle(aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina,
        what="Send the product",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        assignee=marketer,
        by=marketer,
    )
    assert follow_up.is_open and follow_up.is_overdue()

    done = services.follow_up_complete(follow_up=follow_up, by=marketer)
    first_done_at = done.done_at
    again = services.follow_up_complete(follow_up=follow_up, by=marketer)
    assert not done.is_open and not done.is_overdue()
    assert again.done_at == first_done_at  # a second click changes nothing

    reopened = services.follow_up_reopen(follow_up=follow_up)
    assert reopened.is_open


def test_follow_ups_go_to_marketers_only(aina, marketer, influencer_user):
    with pytest.raises(ValidationError, match="someone on your team"):
        services.follow_up_create(
            influencer=aina,
            what="x",
            due_on=timezone.localdate(),
            assignee=influencer_user,
            by=marketer,
        )


def test_a_contact_cannot_point_at_another_influencers_partnership(aina, marketer):
    other = make_partnership(by=marketer)
    with pytest.raises(ValidationError, match="another influencer"):
        services.contact_log(
            influencer=aina, by=marketer, kind="email", summary="x", partnership=other
        )


def test_profile_shows_last_contact_and_last_met(marketer_client, aina, marketer):
    met = timezone.now() - datetime.timedelta(days=20)
    services.contact_log(
        influencer=aina,
        by=marketer,
        kind="meeting",
        summary="Lunch",
        happened_at=met,
        place="Bangsar",
        attendees="Aina, Aisyah",
    )
    services.contact_log(influencer=aina, by=marketer, kind="dm", summary="Sent the brief")
    body = marketer_client.get(aina.get_absolute_url()).content.decode()
    assert "Last met in person" in body
    assert met.astimezone(timezone.get_current_timezone()).strftime("%-d %b %Y") in body
    assert "Bangsar" in body and "Sent the brief" in body


def test_log_a_contact_through_the_profile_form(marketer_client, aina):
    response = marketer_client.post(
        reverse("partnerships:contact_create", args=[aina.pk]),
        {"kind": "call", "summary": "Quick call", "follow_up_in_days": "2"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().summary == "Quick call"
    assert FollowUp.objects.get().due_on == timezone.localdate() + datetime.timedelta(days=2)


def test_contact_form_errors_are_reported_and_nothing_is_saved(marketer_client, aina):
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = marketer_client.post(
        reverse("partnerships:contact_create", args=[aina.pk]),
        {"kind": "call", "summary": "", "happened_at": future},
        follow=True,
    )
    body = response.content.decode()
    assert "Not logged." in body and "cannot be in the future" in body
    assert not Contact.objects.exists()


def test_done_with_htmx_returns_the_row(marketer_client, aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina,
        what="Chase the invoice",
        due_on=timezone.localdate(),
        assignee=marketer,
        by=marketer,
    )
    response = marketer_client.post(
        reverse("partnerships:follow_up_done", args=[follow_up.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "follow-up-done" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_done_never_redirects_off_site(marketer_client, aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina, what="x", due_on=timezone.localdate(), assignee=marketer, by=marketer
    )
    response = marketer_client.post(
        reverse("partnerships:follow_up_done", args=[follow_up.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"].startswith(aina.get_absolute_url())


def test_timeline_is_one_stream_newest_first(marketer, influencer_user):
    channel = ChannelFactory(influencer__user=influencer_user, influencer__owner=marketer)
    influencer = channel.influencer
    partnership = make_partnership(by=marketer, channel=channel)
    influencer_services.influencer_move_stage(
        influencer=influencer, to_stage="researched", by=marketer
    )
    services.contact_log(
        influencer=influencer,
        by=marketer,
        kind="email",
        summary="Intro email",
        happened_at=timezone.now() - datetime.timedelta(days=3),
    )
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    terms_services.terms_accept(
        version=partnership.versions.get(), by=influencer_user, ip=None, user_agent=""
    )

    events = influencer_timeline(influencer)

    kinds = [event.kind for event in events]
    assert kinds[:2] == ["acceptance", "terms"]
    assert "contact" in kinds and "stage" in kinds
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)


def test_timeline_page(marketer_client, aina, marketer):
    services.contact_log(influencer=aina, by=marketer, kind="note", summary="Loves cats")
    response = marketer_client.get(reverse("partnerships:timeline", args=[aina.pk]))
    assert "Loves cats" in response.content.decode()


# --- Access ---------------------------------------------------------------------------


def test_viewer_cannot_log_or_complete(viewer_client, aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina, what="x", due_on=timezone.localdate(), assignee=marketer, by=marketer
    )
    assert (
        viewer_client.post(
            reverse("partnerships:contact_create", args=[aina.pk]), {"kind": "dm", "summary": "hi"}
        ).status_code
        == 403
    )
    assert (
        viewer_client.post(reverse("partnerships:follow_up_done", args=[follow_up.pk])).status_code
        == 403
    )
    assert (
        viewer_client.post(
            reverse("partnerships:follow_up_create", args=[aina.pk]),
            {"what": "x", "due_on": "2026-12-01", "assignee": marketer.pk},
        ).status_code
        == 403
    )
    follow_up.refresh_from_db()
    assert follow_up.is_open and not Contact.objects.exists() and FollowUp.objects.count() == 1


def test_influencers_see_none_of_it(influencer_client, aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina, what="x", due_on=timezone.localdate(), assignee=marketer, by=marketer
    )
    for url in (
        reverse("partnerships:timeline", args=[aina.pk]),
        reverse("partnerships:contact_create", args=[aina.pk]),
        reverse("partnerships:follow_up_done", args=[follow_up.pk]),
    ):
        assert influencer_client.get(url).status_code == 403
        assert influencer_client.post(url, {}).status_code == 403


def test_the_swapped_in_row_still_points_back_at_its_page(marketer_client, aina, marketer):
    follow_up = services.follow_up_create(
        influencer=aina, what="x", due_on=timezone.localdate(), assignee=marketer, by=marketer
    )
    response = marketer_client.post(
        reverse("partnerships:follow_up_done", args=[follow_up.pk]),
        {"next": "/"},
        HTTP_HX_REQUEST="true",
    )
    row = response.content.decode()
    # Its Undo submits the page's shared form, which holds the page to come back to.
    assert 'form="done-form"' in row and 'name="reopen" value="1"' in row
    url = reverse("partnerships:follow_up_done", args=[follow_up.pk])
    assert f'formaction="{url}"' in row and f'href="{aina.get_absolute_url()}"' in row
    assert "<form" not in row


def test_rows_share_one_done_form_that_brings_the_marketer_back(marketer_client, aina, marketer):
    for what in ("Chase the invoice", "Send the brief", "Book the shoot"):
        services.follow_up_create(
            influencer=aina, what=what, due_on=timezone.localdate(), assignee=marketer, by=marketer
        )
    for page in ("/", aina.get_absolute_url()):
        body = marketer_client.get(page).content.decode()
        assert body.count('id="done-form"') == 1
        assert body.count('form="done-form"') == 3
        shared = body[body.index('<form id="done-form"') :].split("</form>")[0]
        assert f'name="next" value="{page}"' in shared and "csrfmiddlewaretoken" in shared
        assert f'<a href="{aina.get_absolute_url()}">Aina' in body

    # Without JavaScript the button posts the shared form to its own follow-up's URL.
    follow_up = FollowUp.objects.get(what="Send the brief")
    url = reverse("partnerships:follow_up_done", args=[follow_up.pk])
    assert f'formaction="{url}"' in body
    response = marketer_client.post(url, {"next": "/"})
    assert response["Location"] == "/"
    follow_up.refresh_from_db()
    assert not follow_up.is_open
    response = marketer_client.post(url, {"next": "/", "reopen": "1"})
    follow_up.refresh_from_db()
    assert follow_up.is_open


def test_a_viewer_gets_no_done_form(viewer_client, aina, marketer):
    services.follow_up_create(
        influencer=aina, what="x", due_on=timezone.localdate(), assignee=marketer, by=marketer
    )
    body = viewer_client.get(aina.get_absolute_url()).content.decode()
    assert 'id="done-form"' not in body and 'form="done-form"' not in body
