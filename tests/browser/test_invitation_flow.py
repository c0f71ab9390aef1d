import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.factories import InfluencerFactory

pytestmark = pytest.mark.browser


def test_marketer_invites_and_the_influencer_joins_from_a_phone(page, phone_page, marketer):
    ina = InfluencerFactory(name="Ina Creator", email="ina@inbox.test")
    browser_login(page, marketer.email)
    page.goto(ina.get_absolute_url())
    expect(page.get_by_text("Not invited")).to_be_visible()
    page.get_by_role("button", name="Invite to portal").click()
    expect(page.get_by_text("Invitation on its way to ina@inbox.test")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Invited \d+ \w+, expires \d+ \w+"))).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)
    phone_page.goto("/" + link.split("/", 3)[3])
    expect(phone_page.get_by_role("heading", name="Welcome, Ina.")).to_be_visible()
    expect(phone_page.get_by_text("Set a password to see your partnership terms.")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.get_by_label(re.compile(r"^\s*New password\W*$")).fill(
        "a-long-and-unusual-passphrase"
    )
    phone_page.get_by_label(re.compile(r"New password confirmation")).fill(
        "a-long-and-unusual-passphrase"
    )
    phone_page.get_by_role("button", name="Set password and continue").click()

    expect(phone_page.get_by_role("heading", name="Hello, Ina")).to_be_visible()
    assert phone_page.url.endswith("/portal/")

    page.reload()
    expect(page.get_by_text("Joined", exact=True)).to_be_visible()


def test_a_used_link_explains_itself_on_a_phone(
    phone_page, marketer, django_capture_on_commit_callbacks
):
    from influencers.invite import influencer_invite

    ina = InfluencerFactory(name="Ina Creator", email="ina@inbox.test")
    with django_capture_on_commit_callbacks(execute=True):
        influencer_invite(influencer=ina, by=marketer)
    with django_capture_on_commit_callbacks(execute=True):
        influencer_invite(influencer=ina, by=marketer)
    old_link = re.search(r"http://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)

    phone_page.goto("/" + old_link.split("/", 3)[3])

    expect(
        phone_page.get_by_role("heading", name="This invitation link no longer works")
    ).to_be_visible()
    expect(phone_page.get_by_text("Ask the brand to send a new one.")).to_be_visible()
