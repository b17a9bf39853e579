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

from tests.browser.helpers import DIBAO_CODE, DIBAO_FORM, PASSWORD, csrf_of

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
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
    """Start the demo exactly as a user does (`tongban demo`), on a free port, in a throw-away home.

    TONGBAN_BROWSER_URL=http://127.0.0.1:8000 reuses a demo you already run (faster while writing tests).
    """
    if os.environ.get("TONGBAN_BROWSER_URL"):
        yield os.environ["TONGBAN_BROWSER_URL"].rstrip("/")
        return
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


@pytest.fixture(scope="module")
def pw():
    """Playwright per test module, not per session: its sync API keeps an asyncio loop running, and Django
    refuses database work while one runs (SynchronousOnlyOperation). Under `--dist loadfile` other test files
    run on the same worker after a browser file, so Playwright must be gone when the file ends."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: `make test` installs it with apt-get")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(pw):
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


class Api:
    """One signed-in API session (session cookie + CSRF header), as an external client scripts it."""

    def __init__(self, request_context, username: str):
        self.ctx, self.username = request_context, username
        self.csrf = csrf_of(request_context.storage_state())

    def get(self, path: str) -> dict:
        resp = self.ctx.get(path)
        assert resp.ok, f"GET {path} as {self.username}: {resp.status} {resp.text()[:500]}"
        return resp.json()

    def post(self, path: str, data: dict, expect: int = 200) -> dict:
        resp = self.ctx.post(path, data=data, headers={"X-CSRFToken": self.csrf})
        assert resp.status == expect, f"POST {path} as {self.username}: {resp.status} {resp.text()[:500]}"
        return resp.json()

    def submit_dibao(self, **changes) -> dict:
        return self.post("/api/v1/applications", {"service_code": DIBAO_CODE, "form": DIBAO_FORM | changes}, 201)

    def open_task(self, application_id: int) -> dict:
        items = self.get("/api/v1/workbench/tasks?state=open")["items"]
        found = [t for t in items if t["application_id"] == application_id]
        assert found, f"{self.username} has no open task for application {application_id}"
        return found[0]

    def complete(self, application_id: int, action: str = "approve", comment: str = "") -> dict:
        task = self.open_task(application_id)
        return self.post(f"/api/v1/workbench/tasks/{task['id']}/complete", {"action": action, "comment": comment})


@pytest.fixture(scope="module")
def api(pw, demo_server):
    """``api(username)``: a signed-in API client, one per user and test module (pages reuse its session)."""
    sessions: dict[str, Api] = {}

    def get(username: str) -> Api:
        if username not in sessions:
            ctx = pw.request.new_context(base_url=demo_server)
            resp = ctx.post("/api/v1/auth/login", data={"username": username, "password": PASSWORD})
            assert resp.status == 200, f"login {username}: {resp.status} {resp.text()[:300]}"
            sessions[username] = Api(ctx, username)
        return sessions[username]

    yield get
    for s in sessions.values():
        s.ctx.dispose()


@pytest.fixture
def open_as(browser, demo_server, api):
    """``open_as(username, device="phone"|"desk")``: a page already signed in (reusing the user's session)."""
    contexts = []

    def open_page(username: str | None = None, device: str = "phone", locale: str = "zh-CN"):
        state = api(username).ctx.storage_state() if username else None
        ctx = browser.new_context(viewport=PHONE if device == "phone" else DESK, locale=locale,
                                  base_url=demo_server, storage_state=state)
        contexts.append(ctx)
        return ctx.new_page()

    yield open_page
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def phone(browser, demo_server):
    """A phone-sized page (the portal is mobile-first), zh-CN."""
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=demo_server)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def desk(browser, demo_server):
    """A desktop page for the workbench."""
    ctx = browser.new_context(viewport=DESK, locale="zh-CN", base_url=demo_server)
    page = ctx.new_page()
    yield page
    ctx.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
