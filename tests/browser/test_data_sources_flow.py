import pytest
from playwright.sync_api import expect

from collectors.models import Connection, State
from tests.collectors.fake_fixtures import _fake_server, fake_providers  # noqa: F401
from tests.conftest import browser_login
from tests.factories import ChannelFactory

pytestmark = pytest.mark.browser

KEY = "AIzaSy-browser-flow-key-6161"


def test_marketer_adds_a_youtube_source_and_it_pulls(page, marketer, fake_providers):  # noqa: F811
    ChannelFactory(
        platform="youtube", handle="inamakan", account_id="UC_inamakan", influencer__name="Ina"
    )
    browser_login(page, marketer.email)
    page.get_by_role("link", name="Data sources").click()
    expect(page.get_by_role("heading", name="Data sources")).to_be_visible()
    page.get_by_role("link", name="New data source").click()
    page.get_by_label("Provider").select_option("youtube")
    page.get_by_label("Name").fill("Ina on YouTube")
    page.get_by_label("Channel").select_option(label="Ina · YouTube · inamakan")
    page.get_by_label("Base URL").fill(f"{fake_providers.url}/youtube/v3")
    page.get_by_label("API key or token").fill(KEY)
    page.get_by_role("button", name="Save").click()

    row = page.get_by_role("row").filter(has_text="Ina on YouTube")
    expect(row).to_contain_text("Working")
    connection = Connection.objects.get()
    assert connection.state == State.OK and connection.records_written == 1
    page.reload()
    expect(row.get_by_role("cell").nth(5)).to_have_text("1")
    assert KEY not in page.content()

    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_text("••••6161")).to_be_visible()
    assert KEY not in page.content()
