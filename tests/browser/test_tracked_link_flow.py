import pytest
from playwright.sync_api import expect

from metrics.links.clicks import clicks_rollup
from metrics.links.services import tracked_link_create
from metrics.models import Click, TrackedLink
from partnerships.terms import services as terms_services
from tests.conftest import browser_login
from tests.factories import ChannelFactory, make_accepted_partnership, make_partnership

pytestmark = pytest.mark.browser


def test_marketer_makes_a_tracked_link_and_the_influencer_shares_it(
    page, marketer, influencer_user
):
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    version = partnership.versions.get()
    terms_services.terms_propose(version=version, by=marketer)
    terms_services.terms_accept(version=version, by=influencer_user, ip=None, user_agent="")

    browser_login(page, marketer.email)
    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="New tracked link").click()
    page.get_by_label("Destination").fill("kopikita.example/raya")
    page.get_by_label("Label").fill("Bio link")
    page.get_by_role("button", name="Create link").click()

    link = TrackedLink.objects.get()
    panel = page.locator("[data-tracked-links]")
    expect(panel).to_contain_text(f"/r/{link.code}")
    expect(panel).to_contain_text("Bio link")
    expect(panel).to_contain_text("0 clicks")
    assert link.target_url.startswith("https://kopikita.example/raya?utm_source=instagram")

    page.context.clear_cookies()
    browser_login(page, influencer_user.email)
    page.goto(f"/portal/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Links to share").click()
    card = page.locator(f"[data-link='{link.code}']")
    expect(card.get_by_role("textbox", name="Tracked link")).to_have_value(
        f"{page.url.split('/portal/')[0]}/r/{link.code}"
    )
    expect(card.get_by_role("img", name="QR code of this link")).to_be_visible()

    # A visit through the link (as a phone: headless Chrome's own agent counts as a bot).
    phone = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"}
    response = page.request.get(f"/r/{link.code}", max_redirects=0, headers=phone)
    assert response.status == 302
    assert response.headers["location"] == link.target_url
    assert Click.objects.filter(link=link, kind=Click.Kind.HUMAN).count() == 1
    page.reload()
    expect(card).to_contain_text("1 click so far")


def test_the_influencers_kpi_progress_moves_after_clicks_on_their_link(
    page, marketer, influencer_user
):
    partnership = make_accepted_partnership(marketer, influencer_user, "Ina Creator")
    link = tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", by=marketer
    )
    browser_login(page, influencer_user.email)
    page.goto(f"/portal/partnerships/{partnership.pk}/")
    clicks = page.locator("[data-kpi='link_clicks']")
    expect(clicks.locator("[data-kpi-value]")).to_have_text("0 / 100")
    expect(clicks).to_contain_text("no data yet")

    phone = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"}
    for _ in range(3):
        assert page.request.get(f"/r/{link.code}", max_redirects=0, headers=phone).status == 302
    clicks_rollup()  # what the 5-minute schedule runs
    page.reload()

    expect(clicks.locator("[data-kpi-value]")).to_have_text("3 / 100")
    expect(clicks.locator("[data-kpi-percent]")).to_have_text("3%")
    expect(clicks).to_contain_text("measured")
