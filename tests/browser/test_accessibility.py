"""axe-core on the main pages, on a desk and on a phone.

Every browser test already runs axe on each page it visits (the `page` and `phone_page`
fixtures); this one walks the pages a marketer and an influencer use most, so none of
them is left out because no flow happened to pass by.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from influencers.models import Stage
from partnerships.terms import services as terms_services
from tests.conftest import browser_login
from tests.factories import (
    CampaignFactory,
    ChannelFactory,
    InfluencerFactory,
    complete_research,
    make_partnership,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def _terms(channel, fee: str) -> terms_services.TermsInput:
    return terms_services.TermsInput(
        fields={"brief_must_haves": ["Say it is Kopi Kita", "#ad"]},
        deliverables=[
            {
                "channel": channel,
                "format": "reel",
                "quantity": 2,
                "due_on": datetime.date(2026, 12, 15),
                "requirements": "Show the cup",
            }
        ],
        compensation=[{"kind": "cash", "amount": Decimal(fee), "currency": "MYR"}],
        kpis=[{"metric": "sessions", "target": 2000, "bonus_tiers": []}],
    )


@pytest.fixture
def proposed_twice(marketer, influencer_user):
    """Ina's partnership: version 1 proposed, then version 2 with a higher fee, proposed."""
    channel = ChannelFactory(
        influencer__name="Ina Creator", influencer__user=influencer_user, handle="ina.makan"
    )
    complete_research(channel.influencer, by=marketer)
    campaign = CampaignFactory(name="Raya Rendang Week")
    partnership = make_partnership(by=marketer, channel=channel, campaign=campaign)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    draft = terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)
    terms_services.terms_save(version=draft, by=marketer, data=_terms(channel, "1800.00"))
    terms_services.terms_propose(version=draft, by=marketer)
    for name, stage in [("Farah Hassan", Stage.PROSPECT), ("Mei Ling", Stage.NEGOTIATING)]:
        InfluencerFactory(name=name, stage=stage)
    return partnership


def _check(page, path: str, *, phone: bool) -> list[str]:
    page.goto(path)
    problems = page.axe.check()
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            problems.append(f"{page.url}\n  page is {width}px wide on a {PHONE_WIDTH}px phone")
    return problems


def test_main_pages_pass_axe_on_a_desk_and_on_a_phone(
    page, phone_page, marketer, influencer_user, proposed_twice
):
    partnership = proposed_twice
    pk = partnership.pk
    marketer_pages = [
        reverse("home"),
        reverse("home") + "?section=overdue",  # one section of My day on its own
        reverse("influencers:list"),
        reverse("influencers:board"),
        partnership.influencer.get_absolute_url(),
        reverse("campaigns:list"),
        partnership.campaign.get_absolute_url(),
        reverse("partnerships:list"),
        partnership.get_absolute_url(),
        reverse("partnerships:terms_document", args=[pk, 2]),
        reverse("partnerships:terms_diff", args=[pk, 2]),
        reverse("partnerships:shipment_add", args=[pk]),
    ]
    portal_pages = [
        reverse("portal:home"),
        reverse("portal:partnership", args=[pk]),
        reverse("portal:terms", args=[pk, 2]),
    ]

    problems = []
    for browser_page, phone in [(page, False), (phone_page, True)]:
        browser_login(browser_page, marketer.email)
        problems += [p for path in marketer_pages for p in _check(browser_page, path, phone=phone)]
        browser_page.context.clear_cookies()
        browser_login(browser_page, influencer_user.email)
        problems += [p for path in portal_pages for p in _check(browser_page, path, phone=phone)]

    assert not problems, "\n".join(problems)


def test_the_terms_difference_can_be_scrolled_from_the_keyboard(page, marketer, proposed_twice):
    browser_login(page, marketer.email)
    page.goto(reverse("partnerships:terms_diff", args=[proposed_twice.pk, 2]))
    region = page.get_by_role("region", name="Each changed line, as it was and as it is now")
    region.focus()
    assert region.evaluate("el => el === document.activeElement")
    assert region.get_attribute("tabindex") == "0"
