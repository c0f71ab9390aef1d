import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_marketer_logs_in_and_sees_the_dashboard(page, marketer):
    browser_login(page, marketer.email)

    assert page.url.endswith("/")
    assert page.get_by_role("heading", name="Good to see you, Ada").is_visible()
    assert page.get_by_role("link", name="My day").is_visible()


def test_influencer_logs_in_and_lands_on_the_portal(phone_page, influencer_user):
    browser_login(phone_page, influencer_user.email)

    assert phone_page.url.endswith("/portal/")
    assert phone_page.get_by_role("heading", name="Hello, Ina").is_visible()


def test_wrong_password_is_explained_in_the_browser(page, marketer):
    browser_login(page, marketer.email, "wrong-password")

    assert page.url.endswith("/accounts/login/")
    assert page.get_by_text("That email and password do not match").is_visible()
