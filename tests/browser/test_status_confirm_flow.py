import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.conftest import browser_login
from tests.factories import make_partnership

pytestmark = pytest.mark.browser


def test_cancelling_asks_for_confirmation_and_a_reason_then_reopens(page, marketer):
    partnership = make_partnership(by=marketer)
    browser_login(page, marketer.email)
    page.goto(partnership.get_absolute_url())

    status = page.get_by_label("New status")
    expect(status).to_have_value("")  # nothing destructive preselected
    status.select_option("cancelled")
    page.get_by_role("region", name="Status").get_by_role("button", name="Change").click()

    expect(page.get_by_role("heading", name="Cancel this partnership?")).to_be_visible()
    partnership.refresh_from_db()
    assert partnership.status == "draft"  # not yet: only after confirming

    page.get_by_label("Reason").fill("Brand paused the campaign")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_text("Now cancelled.")).to_be_visible()
    partnership.refresh_from_db()
    assert partnership.status == "cancelled"
    assert partnership.history.latest().history_change_reason == "Brand paused the campaign"

    page.get_by_role("button", name="Reopen as a new draft").click()
    expect(page.get_by_text("Reopened as a new draft.")).to_be_visible()
    assert Partnership.objects.filter(campaign=partnership.campaign, status="draft").exists()
