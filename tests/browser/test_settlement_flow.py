import pytest
from playwright.sync_api import expect

from metrics.models import Settlement
from tests.conftest import browser_login
from tests.metrics.settling import accepted, complete, numbers

pytestmark = pytest.mark.browser


def test_marketer_freezes_the_settlement_and_the_influencer_sees_it_final(
    page, phone_page, marketer, influencer_user
):
    partnership = accepted(marketer, influencer_user, "Ina Creator")
    numbers(partnership, marketer)
    complete(partnership, marketer)

    browser_login(page, marketer.email)
    page.goto(partnership.get_absolute_url())
    card = page.locator("[data-settlement]")
    expect(card).to_contain_text("not final")
    expect(card.locator("[data-total='MYR']")).to_have_text("MYR 1,923.46")
    card.get_by_role("link", name="Freeze the settlement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Freeze the settlement for Ina")
    page.get_by_role("button", name="Freeze these figures").click()

    settlement = Settlement.objects.get()
    expect(page.locator("[data-settlement-final]")).to_be_visible()
    expect(page.locator("[data-settlement]")).to_contain_text(settlement.reference)
    expect(page.get_by_role("link", name="Freeze the settlement")).to_have_count(0)

    page.goto(partnership.campaign.get_absolute_url())
    page.locator("[data-campaign-settlements]").click()
    expect(page.locator("[data-settlement-row]")).to_contain_text(settlement.reference)
    expect(page.get_by_role("link", name="Download CSV for accounting")).to_be_visible()
    page.axe.check()

    browser_login(phone_page, influencer_user.email)
    phone_page.goto(f"/portal/partnerships/{partnership.pk}/")
    mine = phone_page.locator("[data-settlement]")
    expect(mine).to_contain_text("final")
    expect(mine).to_contain_text(settlement.reference)
    expect(mine.locator("[data-total='MYR']")).to_have_text("MYR 1,923.46")
    expect(mine.locator("[data-settlement-preview]")).to_have_count(0)
