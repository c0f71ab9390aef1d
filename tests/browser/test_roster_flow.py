import re

import pytest
from playwright.sync_api import expect

from influencers.models import Influencer, ResearchItem
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_marketer_builds_a_profile_and_pitches_from_the_board(page, marketer):
    browser_login(page, marketer.email)
    page.get_by_role("link", name="Influencers").first.click()
    page.get_by_role("link", name="Add influencer").click()

    page.get_by_label("Name").fill("Farah Hassan")
    page.get_by_label("Contact email").fill("farah@inbox.test")
    page.get_by_label("Niches").fill("food, travel")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Farah Hassan")).to_be_visible()

    for platform, handle in [
        ("Instagram", "https://www.instagram.com/Farah.Makan?igsh=zz"),
        ("TikTok", "@farahmakan"),
    ]:
        page.get_by_role("link", name="Add channel").click()
        page.locator("#id_platform").select_option(label=platform)
        page.get_by_label("Handle or profile link").fill(handle)
        page.locator("#id_followers").fill("24000")
        page.get_by_role("button", name="Save channel").click()
    expect(page.get_by_role("link", name="@farah.makan")).to_be_visible()
    expect(page.get_by_role("link", name="@farahmakan")).to_be_visible()

    page.get_by_role("link", name="Edit research").click()
    for label in ResearchItem.labels:  # a filled note is the tick
        page.get_by_label(str(label), exact=True).fill(f"Looked at {label}: fine.")
    page.get_by_role("button", name="Save research").click()
    expect(page.get_by_text("Research saved.")).to_be_visible()

    page.goto("/influencers/board/")
    farah = Influencer.objects.get(name="Farah Hassan")
    card = page.locator(f'[data-influencer="{farah.pk}"]')
    expect(card).to_be_visible()
    card.get_by_role("button", name="Move Farah Hassan").click()
    page.get_by_role("dialog", name="Move Farah Hassan to").get_by_role(
        "button", name="Pitched"
    ).click()
    pitched_column = page.locator('[data-stage="pitched"]')
    expect(pitched_column.get_by_role("link", name="Farah Hassan", exact=True)).to_be_visible()
    farah.refresh_from_db()
    assert farah.stage == "pitched"
    assert farah.channels.count() == 2


def test_board_refuses_a_pitch_without_research(page, marketer):
    unresearched = Influencer.objects.create(name="Quick Pitch")
    browser_login(page, marketer.email)
    page.goto("/influencers/board/")
    page.get_by_role("button", name="Move Quick Pitch").click()
    page.get_by_role("dialog").get_by_role("button", name="Pitched").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("Finish the research"))
    unresearched.refresh_from_db()
    assert unresearched.stage == "prospect"
