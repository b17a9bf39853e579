"""Browser tests: a real `tongban demo` server (seeded demo city, own SQLite home) driven by Debian's chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without chromium the tests skip
locally but fail in CI (CI=true), where `make test` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Tongban@2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """Start the demo exactly as a user does (`tongban demo`), on a free port, in a throw-away home."""
    home = tempfile.mkdtemp(prefix="tongban-browser-")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TONGBAN_")}
    env.update({"TONGBAN_HOME": home, "TONGBAN_LOG_LEVEL": "WARNING"})
    log = open(Path(home) / "server.log", "w")  # noqa: SIM115 - closed in teardown
    proc = subprocess.Popen([sys.executable, "-m", "tongban.cli", "demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"demo server exited: {(Path(home) / 'server.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("demo server did not come up in 240 s") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: `make test` installs it with apt-get")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone(browser, demo_server):
    """A phone-sized page (the portal is mobile-first), zh-CN."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=demo_server)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def desk(browser, demo_server):
    """A desktop page for the workbench."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=demo_server)
    page = ctx.new_page()
    yield page
    ctx.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
