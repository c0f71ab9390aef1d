import pytest
from playwright.sync_api import expect

from influencers.models import Influencer
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_pasting_a_profile_link_preselects_the_platform_and_saves_the_channels(page, marketer):
    browser_login(page, marketer.email)
    page.goto("/influencers/new/")
    page.locator("#id_name").fill("Farah Hassan")
    page.locator("#id_channels-0-handle").fill("https://www.tiktok.com/@farahmakan")
    expect(page.locator("#id_channels-0-platform")).to_have_value("tiktok")
    page.get_by_role("button", name="Add another channel").click()
    page.locator("#id_channels-1-handle").fill("instagram.com/farah.makan")
    expect(page.locator("#id_channels-1-platform")).to_have_value("instagram")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Farah Hassan")).to_be_visible()
    farah = Influencer.objects.get(name="Farah Hassan")
    assert sorted(farah.channels.values_list("platform", "handle")) == [
        ("instagram", "farah.makan"),
        ("tiktok", "farahmakan"),
    ]
