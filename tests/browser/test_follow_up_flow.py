import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import FollowUp
from partnerships.relationships import services as relationship_services
from tests.conftest import browser_login
from tests.factories import ChannelFactory

pytestmark = pytest.mark.browser


def test_marketer_logs_a_call_and_ticks_off_its_follow_up_on_my_day(page, marketer):
    aina = ChannelFactory(influencer__name="Aina Sofea", influencer__owner=marketer).influencer
    # An earlier contact, so the profile shows "Log a contact" folded away.
    relationship_services.contact_log(
        influencer=aina,
        by=marketer,
        kind="email",
        summary="Sent the Raya brief",
        happened_at=timezone.now() - datetime.timedelta(days=3),
    )
    browser_login(page, marketer.email)

    page.goto(aina.get_absolute_url())
    page.get_by_text("Log a contact", exact=True).click()
    form = page.locator("form", has=page.get_by_role("button", name="Save contact"))
    form.get_by_label("Kind").select_option(label="Phone call")
    form.get_by_label("What happened").fill("Called Aina about the rendang shoot")
    form.get_by_label("Follow up in (days)").fill("0")
    form.get_by_role("button", name="Save contact").click()

    expect(page.get_by_text("Contact logged.")).to_be_visible()
    open_follow_ups = page.locator("#contacts .follow-up")
    expect(open_follow_ups).to_have_count(1)
    expect(open_follow_ups).to_contain_text("Called Aina about the rendang shoot")
    follow_up = FollowUp.objects.get(influencer=aina)
    assert follow_up.due_on == timezone.localdate()

    page.goto("/")
    follow_ups = page.get_by_role("region", name="Follow-ups")
    row = follow_ups.locator(f"#follow-up-{follow_up.pk}")
    expect(row).to_contain_text("Called Aina about the rendang shoot")
    row.get_by_role("button", name="Done").click()

    expect(row.get_by_role("button", name="Undo")).to_be_visible()
    expect(row.locator(".text-decoration-line-through")).to_contain_text("rendang shoot")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.done_by == marketer
    # Undo goes through the same shared form, and the row can be ticked off again.
    row.get_by_role("button", name="Undo").click()
    expect(row.get_by_role("button", name="Done")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.is_open
    row.get_by_role("button", name="Done").click()
    expect(row.get_by_role("button", name="Undo")).to_be_visible()
    assert page.url.endswith("/")  # htmx swapped the row; the page stayed

    page.reload()
    expect(page.get_by_text("Called Aina about the rendang shoot")).to_have_count(0)
