"""A creator connects a fake Instagram account from the portal on a phone, sees the
numbers after a pull, and revokes it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collectors.fake.instagram import shortcode
from collectors.models import Connection
from collectors.pulling import pull
from influencers.models import Channel
from metrics.models import MetricRecord
from metrics.posts.services import post_add
from tests.collectors.fake_fixtures import _fake_server, fake_providers  # noqa: F401
from tests.conftest import browser_login
from tests.factories import make_accepted_partnership

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def creator_apps(live_server, settings, fake_providers):  # noqa: F811
    """Each platform's app "registered", its sign-in and insights on the fake server."""
    settings.SITE_URL = live_server.url
    settings.CREATORS_FAKE_URL = fake_providers.url
    for name in ("INSTAGRAM_CLIENT_ID", "GOOGLE_CLIENT_ID"):
        setattr(settings, f"CREATORS_{name}", f"demo-{name.lower()}")
    for name in ("INSTAGRAM", "GOOGLE"):
        setattr(settings, f"CREATORS_{name}_CLIENT_SECRET", f"demo-{name.lower()}-secret-0000")
    settings.COLLECTORS_RATE_LIMITS = {p: (1000.0, 1000) for p in settings.COLLECTORS_PROVIDERS}


def test_connect_see_numbers_and_revoke_from_a_phone(
    phone_page, creator_apps, marketer, influencer_user
):
    partnership = make_accepted_partnership(marketer, influencer_user, "Nurul Izzah")
    channel = partnership.influencer.channels.get()
    Channel.objects.filter(pk=channel.pk).update(handle="nurul.eats")
    post = post_add(
        partnership=partnership, by=marketer, channel=channel,
        url=f"https://www.instagram.com/p/{shortcode('nurul.eats', 2)}/",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip

    page = phone_page
    browser_login(page, influencer_user.email)
    page.goto("/portal/accounts/")
    expect(page.get_by_role("heading", name="My accounts")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Connect Instagram")).click()
    expect(page.get_by_role("heading", name="The brand will see")).to_be_visible()
    expect(page.get_by_role("heading", name="The brand will not see")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("button", name="Continue to Instagram").click()

    # The (fake) platform's own sign-in page, then back to the portal.
    expect(page.get_by_label("Sign in as")).to_have_value("nurul.eats")
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_text(re.compile("Connected Instagram"))).to_be_visible()
    expect(page.locator(f"[data-channel='{channel.pk}']")).to_contain_text("Connected")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    connection = Connection.objects.get(channel=channel)
    pull(connection.pk)  # what the dispatcher's worker does
    assert MetricRecord.objects.filter(post=post, metric="saves").exists()
    page.goto(f"/portal/partnerships/{partnership.pk}/")
    numbers = page.locator(f"[data-post='{post.pk}'] [data-post-numbers]")
    expect(numbers).to_contain_text("Reach")
    expect(numbers).to_contain_text("Saves")
    expect(page.locator(f"[data-post='{post.pk}'] [data-disclosure-missing]")).to_be_visible()

    page.goto("/portal/accounts/")
    page.get_by_role("button", name=re.compile("^Disconnect")).click()
    expect(page.get_by_text(re.compile("Its tokens are deleted"))).to_be_visible()
    expect(page.locator(f"[data-channel='{channel.pk}']")).to_contain_text("Not connected")
    assert not Connection.objects.filter(channel=channel).exists()


def test_connect_youtube_and_see_watch_time_from_a_phone(
    phone_page, creator_apps, marketer, influencer_user
):
    partnership = make_accepted_partnership(marketer, influencer_user, "Nurul Izzah")
    channel = Channel.objects.create(
        influencer=partnership.influencer, platform="youtube", handle="nuruleats"
    )
    post = post_add(
        partnership=partnership, by=marketer, channel=channel,
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        published_on=timezone.localdate() - datetime.timedelta(days=3),
    )  # fmt: skip

    page = phone_page
    browser_login(page, influencer_user.email)
    page.goto("/portal/accounts/")
    page.get_by_role("link", name=re.compile("^Connect YouTube")).click()
    expect(page.get_by_text(re.compile("watch time and average view duration"))).to_be_visible()
    page.get_by_role("button", name="Continue to YouTube").click()
    expect(page.get_by_label("Sign in as")).to_have_value("nuruleats")
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_text(re.compile("Connected YouTube"))).to_be_visible()
    expect(page.locator(f"[data-channel='{channel.pk}']")).to_contain_text("Connected")

    pull(Connection.objects.get(channel=channel).pk)
    page.goto(f"/portal/partnerships/{partnership.pk}/")
    numbers = page.locator(f"[data-post='{post.pk}'] [data-post-numbers]")
    expect(numbers).to_contain_text("Watch time (minutes)")
    expect(numbers).to_contain_text(re.compile(r"Average view duration\s+\d+ min \d+ s"))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
