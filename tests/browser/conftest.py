"""Browser suite of MotCua: fixtures shared by every journey.

A REAL `motcua serve` (SQLite, fresh temp data dir, free port on 127.0.0.1, demo catalog) and ONE
headless Debian Chromium, both started once per session and stopped at its end (the server by its PID).

Fixtures:
  server    -> Server(url, pid, log): the running portal; server.url + "/thu-tuc" etc.
  driver    -> the session's Chromium (selenium WebDriver); prefer `browser` in tests
  browser   -> the same driver, reset for each test: 1280x800 window, no cookies, empty downloads dir
  downloads -> Path of the directory Chromium saves downloads into (emptied before each test)

When a test fails, a screenshot, the page source, the URL and the browser console go to
.build/browser-artifacts/ (ignored by git; override with MOTCUA_BROWSER_ARTIFACTS), and the tail of the
server log is shown in the report.

Environment:
  MOTCUA_BIN      the motcua binary (default: .build/debug/motcua of this work tree)
  CHROMIUM_BIN    default /usr/bin/chromium
  CHROMEDRIVER    default /usr/bin/chromedriver
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from helpers import ARTIFACTS, REPO, artifact_name

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WINDOW = (1280, 800)

# What the failure hook needs, whatever fixtures the failing test asked for.
_STATE: dict = {}


def _motcua_bin() -> Path:
    env = os.environ.get("MOTCUA_BIN")
    if env:
        return Path(env)
    for candidate in (REPO / ".build/debug/motcua", REPO / ".build/x86_64-unknown-linux-gnu/debug/motcua"):
        if candidate.exists():
            return candidate
    return REPO / ".build/debug/motcua"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sigterm_as_interrupt(signum, frame):  # noqa: ARG001
    # pytest turns KeyboardInterrupt into an orderly stop that still runs fixture teardown,
    # so a SIGTERM from scripts/test's trap also stops the server and Chromium.
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):  # noqa: ARG001
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)


def pytest_sessionstart(session):  # noqa: ARG001
    # Artifacts describe the last run only.
    if ARTIFACTS.is_dir():
        for child in ARTIFACTS.iterdir():
            if child.is_file():
                child.unlink()


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    pid: int
    log: Path

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError as e:
            return f"(no server log: {e})"

    def status(self, path: str) -> int:
        """HTTP status of GET path, without the browser (Selenium cannot see status codes)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code


def _wait_ready(proc: subprocess.Popen, url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


def _stop(proc: subprocess.Popen, seconds: float = 10) -> None:
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="session")
def server():
    binary = _motcua_bin()
    if not os.access(binary, os.X_OK):
        pytest.exit(f"motcua binary not found or not executable: {binary} (set MOTCUA_BIN)", returncode=2)
    work = Path(tempfile.mkdtemp(prefix="motcua-browser."))
    log_path = work / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite
    proc = None
    url = ""
    # A free port can be taken between choosing and binding it: a few tries.
    for _ in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(work / "data")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            )
        if _wait_ready(proc, url, 60):
            break
        _stop(proc, 5)
        proc = None
    if proc is None:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        shutil.rmtree(work, ignore_errors=True)
        pytest.exit(f"motcua serve did not become ready; server log:\n{tail}", returncode=2)

    srv = Server(url=url, pid=proc.pid, log=log_path)
    _STATE["server"] = srv
    try:
        yield srv
    finally:
        _stop(proc)
        if _STATE.get("failed"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(log_path, ARTIFACTS / "server.log")
        _STATE.pop("server", None)
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _download_dir():
    d = Path(tempfile.mkdtemp(prefix="motcua-downloads."))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def driver(_download_dir):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--lang=vi-VN",
        "--no-first-run",
        "--disable-search-engine-choice-screen",
    ):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {
        "download.default_directory": str(_download_dir),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "intl.accept_languages": "vi-VN,vi",
    })
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        drv.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(_download_dir)})
        drv.set_page_load_timeout(30)
        drv.set_script_timeout(30)
        _STATE["driver"] = drv
        yield drv
    finally:
        _STATE.pop("driver", None)
        drv.quit()


@pytest.fixture
def downloads(_download_dir) -> Path:
    for child in _download_dir.iterdir():
        if child.is_file():
            child.unlink()
        else:
            shutil.rmtree(child, ignore_errors=True)
    return _download_dir


@pytest.fixture
def browser(driver, server, downloads):  # noqa: ARG001  (server: every browser test needs it up)
    """The session's Chromium, as a fresh visitor: desktop window, no cookies, nothing downloaded."""
    size = driver.get_window_size()
    if (size["width"], size["height"]) != WINDOW:
        driver.set_window_size(*WINDOW)
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.get("about:blank")
    yield driver
    driver.get_log("browser")  # drop this test's console messages


# ---------------------------------------------------------------------------------------------
# On failure: screenshot, page source, URL, console, server log tail
# ---------------------------------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ARG001
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or rep.when not in ("setup", "call"):
        return
    _STATE["failed"] = True
    notes = []
    drv = _STATE.get("driver")
    if drv is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = artifact_name(item.nodeid)
        png, html, console_txt = (ARTIFACTS / f"{stem}{ext}" for ext in (".png", ".html", ".console.txt"))
        try:
            notes.append(f"url: {drv.current_url}")
            drv.save_screenshot(str(png))
            html.write_text(drv.page_source, encoding="utf-8")
            console = [f"{e.get('level')} {e.get('message')}" for e in drv.get_log("browser")]
            if console:
                console_txt.write_text("\n".join(console) + "\n", encoding="utf-8")
            notes.append(f"screenshot: {png}")
            notes.append(f"page source: {html}")
            if console:
                notes.append("browser console:\n  " + "\n  ".join(console[-10:]))
        except Exception as e:  # noqa: BLE001  the browser itself may be what broke
            notes.append(f"(could not save browser artifacts: {e!r})")
    srv = _STATE.get("server")
    if srv is not None:
        notes.append("server log (tail):\n" + srv.tail(20))
    if notes:
        rep.sections.append(("browser artifacts", "\n".join(notes)))
