"""Shared fixtures: the cast of users, the demo data, and a browser for the UI flows."""

import logging
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

from accounts.models import User

from .factories import PASSWORD, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test flushes the database and the content types come back with
    new ids, while ContentType's per-process cache keeps the old ones; the admin's log
    (and anything else keyed on a content type) would then point at a missing row."""
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _no_leaks_between_tests():
    """What one test changes process-wide must not reach the next one on the same
    xdist worker: the active language (a lazy label read in Malay) and the root log
    level (an in-process Celery worker sets it to ERROR, hiding warnings from caplog)."""
    root = logging.getLogger()
    level = root.level
    translation.deactivate()
    yield
    root.setLevel(level)
    translation.deactivate()


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


# --- Demo data ------------------------------------------------------------------------


def _use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def _demo_name() -> str:
    return f"{connection.settings_dict['NAME']}_demo"


def _drop_demo_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    # The demo gets its own copy of the empty test database, made right after the test
    # database itself: CREATE DATABASE ... TEMPLATE needs the template idle, and later in the
    # session live-server and worker threads keep connections to it (CONN_MAX_AGE).
    uses_demo = any(
        "_demo_seeded" in getattr(item, "fixturenames", ()) for item in request.session.items
    )
    if not uses_demo:
        yield
        return
    test_name, demo_name = connection.settings_dict["NAME"], _demo_name()
    with django_db_blocker.unblock():
        connection.close()
        _drop_demo_database(demo_name)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{demo_name}" TEMPLATE "{test_name}"')
    yield
    with django_db_blocker.unblock():
        _drop_demo_database(demo_name)


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    # `seed_demo` takes seconds (thousands of queries through the services), so it runs once
    # per session (per xdist worker), into the demo copy of the empty test database. Tests
    # that ask for `demo` run against that copy; every other test keeps its empty database.
    test_name, demo_name = connection.settings_dict["NAME"], _demo_name()
    with django_db_blocker.unblock():
        _use_database(demo_name)
        try:
            call_command("seed_demo", stdout=StringIO())
        finally:
            _use_database(test_name)
    return demo_name


@pytest.fixture(scope="module")
def _demo_seeded(_demo_database, django_db_blocker):
    # The module's tests run inside one transaction on the demo copy, rolled back when the
    # module ends, so the next module finds the demo as seeded. Each test still runs in its
    # own savepoint (the `db` fixture): what one test changes is gone before the next.
    test_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        _use_database(_demo_database)
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            _use_database(test_name)


@pytest.fixture
def demo(_demo_seeded, db) -> None:
    """The demo data of `manage.py seed_demo`, seeded once per session, on its own database.

    Use it for every test of a module (`pytestmark = pytest.mark.usefixtures("demo")`): the
    module's tests share the demo database until the module ends, so a test in the same
    module that did not ask for it would see demo rows anyway. Not with `transactional_db`
    or `live_server`, which flush the database.
    """


def _check_demo_modules(items) -> None:
    by_module: dict = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    for module, module_items in by_module.items():
        names = [set(getattr(item, "fixturenames", ())) for item in module_items]
        if not any("_demo_seeded" in n for n in names):
            continue
        if not all("demo" in n for n in names):
            raise pytest.UsageError(
                f"{module}: every test of a module that uses `demo` must use it "
                '(pytestmark = pytest.mark.usefixtures("demo")); the others would see demo rows'
            )
        if any(n & {"transactional_db", "live_server"} for n in names):
            raise pytest.UsageError(f"{module}: `demo` cannot share a module with tests that flush")


# --- Browser tests ----------------------------------------------------------

_browser_skip_reason = None
if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    _browser_skip_reason = (
        f"chromium not found at {CHROMIUM}: browser tests SKIPPED (apt-get install -y chromium)"
    )


def pytest_collection_modifyitems(config, items):
    _check_demo_modules(items)
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


class AxeAudit:
    """Runs axe-core on every page a browser test shows, and fails the test on serious ones.

    Each page is checked when it has loaded, and the last one again when the test ends (in
    the state the test left it, HTMX swaps included). A page the test left before axe was
    done with it (a click straight after loading) is opened again at the end and checked.
    """

    FAILING_IMPACTS = ("serious", "critical")

    def __init__(self, page) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.axe = Axe()
        self.failures: list[str] = []
        self.checked: set[str] = set()
        self.missed: list[str] = []
        self._running = False
        page.on("load", lambda _: self._check_or_remember())

    def _check_or_remember(self) -> None:
        url = self.page.url
        try:
            self.check()
        except Exception as exc:
            # Playwright: "Execution context was destroyed" (the test navigated on) or
            # "Target page, context or browser has been closed" (the test ended).
            if "destroyed" not in str(exc) and "closed" not in str(exc):
                raise
            self.missed.append(url)

    def check(self) -> list[str]:
        """Run axe on the page as it is now; return (and remember) the serious violations."""
        while self._running:  # the load handler and the test's own check share the page
            self.page.wait_for_timeout(50)
        url = self.page.url
        if not url.startswith("http"):
            return []
        self._running = True
        try:
            results = self.axe.run(self.page)
        finally:
            self._running = False
        self.checked.add(url)
        found = [
            self._describe(url, violation)
            for violation in results.response["violations"]
            if violation["impact"] in self.FAILING_IMPACTS
        ]
        self.failures.extend(found)
        return found

    @staticmethod
    def _describe(url: str, violation: dict) -> str:
        targets = "\n".join(
            f"      {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}".replace(
                "\n", " "
            )
            for node in violation["nodes"][:8]
        )
        more = len(violation["nodes"]) - 8
        return (
            f"{url}\n  {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"{targets}" + (f"\n      … and {more} more" if more > 0 else "")
        )

    def assert_clean(self) -> None:
        self.page.wait_for_load_state()
        self.check()
        for url in dict.fromkeys(self.missed):
            if url not in self.checked:
                self.page.goto(url)
                self.check()
        if self.failures:
            pytest.fail(
                "axe-core found serious or critical accessibility violations:\n"
                + "\n".join(dict.fromkeys(self.failures)),
                pytrace=False,
            )


def _audited_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.axe = AxeAudit(page)
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _audited_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    try:
        page.axe.assert_clean()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _audited_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    yield page
    try:
        page.axe.assert_clean()
    finally:
        context.close()


def browser_login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
