import pytest
from playwright.sync_api import expect

from influencers.models import Stage
from tests.conftest import browser_login
from tests.factories import InfluencerFactory, complete_research

pytestmark = pytest.mark.browser


def drag(page, card, column: str) -> None:
    """Drag a card by its grip into a column, moving the mouse the way a hand does."""
    grip = card.locator(".board-grip").bounding_box()
    target = page.locator(f'.board-cards[data-stage="{column}"]').bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(grip["x"] + 10, grip["y"] + 10, steps=3)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 20, steps=12)
    page.mouse.up()


@pytest.fixture
def roster(marketer):
    farah = InfluencerFactory(name="Farah Hassan")
    complete_research(farah, by=marketer)
    mei = InfluencerFactory(name="Mei Ling", stage=Stage.NEGOTIATING)
    complete_research(mei, by=marketer)
    return farah


def test_marketer_drags_a_card_to_another_stage_on_a_desk(page, marketer, roster):
    browser_login(page, marketer.email)
    page.goto("/influencers/board/")
    card = page.locator(f'[data-influencer="{roster.pk}"]')
    expect(page.locator('[data-stage="prospect"]').locator(card)).to_be_visible()

    drag(page, card, "pitched")

    pitched = page.locator('section[data-stage="pitched"]')
    expect(pitched.get_by_role("link", name="Farah Hassan", exact=True)).to_be_visible()
    expect(
        page.locator('section[data-stage="prospect"]').get_by_text("Nobody here.")
    ).to_be_visible()
    roster.refresh_from_db()
    assert roster.stage == Stage.PITCHED
    # The keyboard stays with the card it moved.
    expect(pitched.get_by_role("button", name="Move Farah Hassan")).to_be_focused()


def test_the_keyboard_moves_a_card_through_the_one_shared_menu(page, marketer, roster):
    browser_login(page, marketer.email)
    page.goto("/influencers/board/")
    # Every card opens the same menu; it is on the page once.
    expect(page.locator("#board-move")).to_have_count(1)
    trigger = page.get_by_role("button", name="Move Farah Hassan")
    trigger.focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("dialog", name="Move Farah Hassan to")
    expect(menu).to_be_visible()
    expect(trigger).to_have_attribute("aria-expanded", "true")
    # The stage the card is in cannot be picked; the first other one has the keyboard.
    expect(menu.get_by_role("button", name="Prospect")).to_be_disabled()
    expect(menu.get_by_role("button", name="Researched")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(trigger).to_be_focused()

    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("button", name="Pitched")).to_be_focused()
    page.keyboard.press("Enter")

    pitched = page.locator('section[data-stage="pitched"]')
    expect(pitched.get_by_role("link", name="Farah Hassan", exact=True)).to_be_visible()
    expect(menu).to_be_hidden()
    expect(pitched.get_by_role("button", name="Move Farah Hassan")).to_be_focused()
    roster.refresh_from_db()
    assert roster.stage == Stage.PITCHED

    # The same menu now serves another card, and knows where that one is.
    page.get_by_role("button", name="Move Mei Ling").click()
    other = page.get_by_role("dialog", name="Move Mei Ling to")
    expect(other.get_by_role("button", name="Negotiating")).to_be_disabled()
    expect(other.get_by_role("button", name="Pitched")).to_be_enabled()


def test_a_refused_drag_puts_the_card_back_and_says_why(page, marketer):
    unresearched = InfluencerFactory(name="Quick Pitch")
    browser_login(page, marketer.email)
    page.goto("/influencers/board/")
    drag(page, page.locator(f'[data-influencer="{unresearched.pk}"]'), "pitched")
    expect(page.get_by_role("alert")).to_contain_text("Finish the research")
    prospects = page.locator('section[data-stage="prospect"]')
    expect(prospects.get_by_role("link", name="Quick Pitch", exact=True)).to_be_visible()
    unresearched.refresh_from_db()
    assert unresearched.stage == Stage.PROSPECT


def test_phone_shows_one_stage_at_a_time_without_sideways_scrolling(phone_page, marketer, roster):
    browser_login(phone_page, marketer.email)
    phone_page.goto("/influencers/board/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    picker = phone_page.get_by_label("Stage to show")
    expect(picker).to_be_visible()
    expect(phone_page.get_by_role("link", name="Farah Hassan", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("link", name="Mei Ling", exact=True)).to_be_hidden()
    expect(phone_page.locator("section.board-column:visible")).to_have_count(1)

    picker.select_option(label="Negotiating (1)")
    expect(phone_page.get_by_role("link", name="Mei Ling", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("link", name="Farah Hassan", exact=True)).to_be_hidden()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # Moving a card through the menu still works, and the picked stage stays shown.
    phone_page.get_by_role("button", name="Move Mei Ling").click()
    menu = phone_page.get_by_role("dialog", name="Move Mei Ling to")
    expect(menu).to_be_in_viewport()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    menu.get_by_role("button", name="Active").click()
    expect(phone_page.get_by_role("link", name="Mei Ling", exact=True)).to_be_hidden()
    expect(picker).to_have_value("negotiating")
    expect(picker).to_be_focused()
    picker.select_option(label="Active (1)")
    expect(phone_page.get_by_role("link", name="Mei Ling", exact=True)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
