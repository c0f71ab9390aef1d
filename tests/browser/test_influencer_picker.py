import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.conftest import browser_login
from tests.factories import CampaignFactory, ChannelFactory, InfluencerFactory

pytestmark = pytest.mark.browser


def test_marketer_picks_an_influencer_by_typing_a_handle(page, marketer):
    campaign = CampaignFactory(name="Picker Week")
    InfluencerFactory.create_batch(30, name="Aina Lookalike")
    wanted = ChannelFactory(influencer__name="Aina Sofea", handle="sofea.makan").influencer
    browser_login(page, marketer.email)
    page.goto(f"/partnerships/new/?campaign={campaign.pk}")

    page.get_by_label("Influencer").fill("@sofea")
    choice = page.get_by_role("button", name="Aina Sofea")
    expect(choice).to_be_visible()
    expect(page.locator("[data-pick-id]")).to_have_count(1)
    choice.click()
    expect(page.get_by_label("Influencer")).to_have_value("Aina Sofea")
    page.get_by_role("button", name="Create partnership").click()

    expect(page.get_by_text("Partnership created.")).to_be_visible()
    assert Partnership.objects.get(campaign=campaign).influencer == wanted
