"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium is found at CHROMIUM_PATH or /usr/bin/chromium. Without it the browser tests are skipped
with the reason printed, unless E2E_REQUIRED=1, when a missing browser fails the run.
Playwright never downloads a browser here.

Fixtures: `browser_page` (a fresh Page; use `live_server.url`), `staff_login(page, user)` and
`assert_accessible(page)` (axe-core: no serious or critical violations).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    e2e_dir = Path(__file__).parent
    e2e_items = [item for item in items if Path(str(item.fspath)).is_relative_to(e2e_dir)]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
    if not e2e_items or chromium_path():
        return
    reason = "未找到 Chromium（/usr/bin/chromium 或 CHROMIUM_PATH），跳过浏览器测试"
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(
            f"E2E_REQUIRED=1 但{reason[:-7]}：请安装 Debian 的 chromium 软件包。"
        )
    print(f"\n{reason}。")
    for item in e2e_items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def _playwright_browser():
    # Module scope: Playwright's event loop stops with the module, so later tests in the session
    # run without it. While it runs, the ORM calls of the browser tests (synchronous, in this
    # thread) need Django's async-safety guard off; it is switched back on afterwards.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(_playwright_browser, live_server, transactional_db):
    # The flush after each browser test emits post_migrate, which restores what the migrations
    # seeded (role groups, the catalog's standard columns).
    context = _playwright_browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def staff_login(live_server):
    """Log a user in through the real admin login form."""

    def _login(page, user, password=None):
        from tests.conftest import PASSWORD

        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password or PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return _login


def assert_accessible(page, context=None):
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    assert not bad, f"{page.url} 有无障碍问题：\n{details}"
