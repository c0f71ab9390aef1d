import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.conftest import browser_login
from tests.factories import ChannelFactory, make_partnership

pytestmark = pytest.mark.browser


def test_campaign_to_proposed_terms_then_version_two_with_the_difference(page, marketer):
    channel = ChannelFactory(influencer__name="Aina Sofea", handle="aina.makan")
    browser_login(page, marketer.email)

    # A campaign.
    page.goto("/campaigns/new/")
    page.locator("#id_name").fill("Raya Rendang Week")
    page.locator("#id_brand").fill("Kopi Kita")
    page.locator("#id_starts_on").fill("2026-12-01")
    page.locator("#id_ends_on").fill("2027-01-15")
    page.locator("#id_budget").fill("12000")
    page.locator("#id_utm_campaign").fill("raya_rendang")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Raya Rendang Week")).to_be_visible()

    # A partnership in it.
    page.get_by_role("link", name="Add partnership").click()
    # Type only once the new page's scripts (HTMX, the picker) are running: text typed
    # before would search nothing (a loaded machine was slow enough for that).
    expect(page).to_have_url(re.compile(r"/partnerships/new/"))
    page.wait_for_load_state("load")
    page.get_by_label("Influencer").fill("aina")
    page.get_by_role("button", name="Aina Sofea").click()
    page.get_by_role("button", name="Create partnership").click()
    expect(page.get_by_text("Partnership created.")).to_be_visible()

    # Terms: a deliverable, a cash fee, a KPI with a bonus.
    page.get_by_role("link", name="Edit draft").click()
    page.locator("#id_deliverables-0-channel").select_option(str(channel.pk))
    page.locator("#id_deliverables-0-format").select_option("reel")
    page.locator("#id_deliverables-0-quantity").fill("2")
    page.locator("#id_deliverables-0-due_on").fill("2026-12-20")
    page.locator("#id_compensation-0-kind").select_option("cash")
    page.locator("#id_compensation-0-amount").fill("1500")
    page.locator("#id_kpis-0-metric").select_option("sessions")
    page.locator("#id_kpis-0-target").fill("2000")
    kpi_row = page.locator("[data-formset=kpis] [data-formset-rows] > div").first
    kpi_row.get_by_label("Bonus 1: at").fill("3000")
    kpi_row.get_by_label("Bonus 1: amount").fill("300")
    kpi_row.get_by_label("Bonus 2: at").fill("5000")
    kpi_row.get_by_label("Bonus 2: amount").fill("600.5")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("2 × Reel")).to_be_visible()
    kpi = Partnership.objects.get(campaign__name="Raya Rendang Week").versions.get().kpis.get()
    assert kpi.bonus_tiers == [
        {"threshold": 3000, "amount": "300.00"},
        {"threshold": 5000, "amount": "600.50"},
    ]

    page.get_by_role("button", name="Propose version 1").click()
    expect(page.get_by_text("waiting for the influencer's acceptance")).to_be_visible()
    partnership = Partnership.objects.get(campaign__name="Raya Rendang Week")
    assert partnership.status == "proposed"

    # Change the fee: that makes version 2, and the difference is shown.
    page.get_by_role("link", name="Change terms").click()
    page.locator("#id_compensation-0-amount").fill("1800")
    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_role("button", name="Propose version 2").click()
    page.locator('[data-version="2"]').get_by_role("link", name="Changes").click()
    expect(page.get_by_text("MYR 1,500.00").first).to_be_visible()
    expect(page.get_by_text("MYR 1,800.00").first).to_be_visible()
    assert partnership.versions.count() == 2


def test_bonus_tier_rows_show_saved_tiers_and_refuse_a_half_filled_pair(page, marketer):
    partnership = make_partnership(by=marketer)  # its KPI pays 300.00 at 3,000
    browser_login(page, marketer.email)
    page.goto(f"/partnerships/{partnership.pk}/terms/edit/")
    kpi_row = page.locator("[data-formset=kpis] [data-formset-rows] > div").first
    expect(kpi_row.get_by_label("Bonus 1: at")).to_have_value("3000")
    expect(kpi_row.get_by_label("Bonus 1: amount")).to_have_value("300.00")
    kpi_row.get_by_label("Bonus 2: at").fill("6000")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("How much is this bonus?")).to_be_visible()
    kpi_row = page.locator("[data-formset=kpis] [data-formset-rows] > div").first
    kpi_row.get_by_label("Bonus 2: amount").fill("450")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as draft version 1")).to_be_visible()
    assert partnership.versions.get().kpis.get().bonus_tiers == [
        {"threshold": 3000, "amount": "300.00"},
        {"threshold": 6000, "amount": "450.00"},
    ]
