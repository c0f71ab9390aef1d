"""Shared fixtures: the cast of users, and a browser for the UI flows."""

import os
import shutil
from pathlib import Path

import pytest

from accounts.models import User

from .factories import PASSWORD, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def marketer(db) -> User:
    return UserFactory(email="admin@brand.test", full_name="Ada Admin", role=User.Role.ADMIN)


@pytest.fixture
def manager(db) -> User:
    return UserFactory(email="manager@brand.test", full_name="Max Manager", role=User.Role.MANAGER)


@pytest.fixture
def viewer(db) -> User:
    return UserFactory(email="viewer@brand.test", full_name="Vera Viewer", role=User.Role.VIEWER)


@pytest.fixture
def influencer_user(db) -> User:
    return UserFactory(
        email="creator@inbox.test", full_name="Ina Creator", role=User.Role.INFLUENCER
    )


@pytest.fixture
def other_influencer_user(db) -> User:
    return UserFactory(
        email="someone.else@inbox.test", full_name="Omar Other", role=User.Role.INFLUENCER
    )


@pytest.fixture
def marketer_client(client, marketer):
    client.force_login(marketer)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def influencer_client(client, influencer_user):
    client.force_login(influencer_user)
    return client


# --- Browser tests ----------------------------------------------------------

_browser_skip_reason = None
if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    _browser_skip_reason = (
        f"chromium not found at {CHROMIUM}: browser tests SKIPPED (apt-get install -y chromium)"
    )


def pytest_collection_modifyitems(config, items):
    if _browser_skip_reason is None:
        return
    marker = pytest.mark.skip(reason=_browser_skip_reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    if _browser_skip_reason:
        terminalreporter.write_sep("!", _browser_skip_reason, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
