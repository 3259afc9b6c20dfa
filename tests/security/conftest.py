"""Security suite of MotCua: fixtures shared by the stored-XSS sweep, the slow-upload and polyglot tests.

A REAL `motcua serve` (SQLite, fresh temp data dir, free port on 127.0.0.1, demo catalog, no SMTP: mail
goes to the outbox the system administrator reads at /quan-tri/thu-dien), started once per session and
stopped by its PID at the end. One headless Debian Chromium, started only when a test asks for it.

Fixtures:
  server      -> Server(url, pid, log, data_dir): the running portal; data_dir/"files" holds its stored files;
                 Cần Thơ's Sở Nội vụ (000.00.09.H13) has the VNPay terminal VNPAY_TERMINAL (test_vnpay_ipn.py)
  demo        -> {email: DemoLogin}: the demo staff accounts the server printed; demo.role("Lãnh đạo", "H06")
  admin       -> portal.Client signed in as the system administrator (reads the outbox)
  citizen_factory -> make(**register kwargs) -> (Account, Client signed in)
  driver      -> the session's Chromium with the page's CSP bypassed (so the check sees the escaping itself,
                 not the CSP behind it) and alerts left open for the test to find

Environment:
  MOTCUA_BIN      the motcua binary (default: .build/debug/motcua, else .build/release/motcua)
  CHROMIUM_BIN, CHROMEDRIVER   default /usr/bin/chromium, /usr/bin/chromedriver
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import portal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the helpers the suites share
from support.server import DemoLogin, log_tail, motcua_bin, start_serve, stop, stop_on_sigterm  # noqa: E402
from support.server import read_demo_logins as _read_demo_logins  # noqa: E402

pytest_plugins = ["stored", "stored_backoffice"]

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def pytest_configure(config):
    stop_on_sigterm()  # a SIGTERM stops pytest in order: the server and Chromium are stopped too
    config.addinivalue_line("markers", "backoffice: needs the back office (staff pages and API, /tmp/backoffice-contract.md)")
    config.addinivalue_line("markers", "browser: loads pages in Chromium")
    config.addinivalue_line("markers", "runs_last: waits for a probe started at the beginning of the session")


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    # Tests that wait for a long-running probe go last, so the wait overlaps the rest of the suite.
    items.sort(key=lambda item: item.get_closest_marker("runs_last") is not None)


def _motcua_bin() -> Path:
    return motcua_bin(".build/debug/motcua", ".build/release/motcua")


@dataclass
class Server:
    url: str
    host: str
    port: int
    pid: int
    log: Path
    data_dir: Path
    process: subprocess.Popen | None = None

    def alive(self) -> bool:
        return self.process is None or self.process.poll() is None

    def problems(self, lines: int = 15) -> str:
        """The server's warning, error and crash lines (the last `lines`), else the end of its log."""
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError as e:
            return f"(no server log: {e})"
        found = [line for line in text if re.match(r"^\S+ (warning|error|critical) ", line) or "crashed" in line]
        return "\n".join(found[-lines:]) or "\n".join(text[-lines:])

    def tail(self, lines: int = 30) -> str:
        return log_tail(self.log, lines)

    @property
    def files(self) -> Path:
        return self.data_dir / "files"


_STATE: dict = {}

# The VNPay settings the server gets (MOTCUA_VNPAY_FILE): a terminal for Cần Thơ's Sở Nội vụ, whose
# procedure 2.000596 charges its fee at submission. The payment page (port 9) is never reached.
VNPAY_AGENCY = "000.00.09.H13"
VNPAY_TERMINAL = "CANTHO01"
VNPAY_SECRET = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"
VNPAY_SETTINGS = {VNPAY_AGENCY: {"paymentURL": "http://127.0.0.1:9/paymentv2/vpcpay.html",
                                 "terminalCode": VNPAY_TERMINAL, "hashSecret": VNPAY_SECRET}}


@contextlib.contextmanager
def running_server(prefix: str = "motcua-security."):
    """A fresh `motcua serve` (own temp data dir, free port); stopped by its PID and removed on exit."""
    binary = _motcua_bin()
    if not os.access(binary, os.X_OK):
        pytest.exit(f"motcua binary not found or not executable: {binary} (set MOTCUA_BIN)", returncode=2)
    work = Path(tempfile.mkdtemp(prefix=prefix))
    log_path = work / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("MOTCUA_SMTP_")}
    env["MOTCUA_BCRYPT_COST"] = "4"  # many sign-ups and sign-ins; the cost is not what is tested here
    vnpay = work / "vnpay.json"
    vnpay.write_text(json.dumps(VNPAY_SETTINGS))
    env["MOTCUA_VNPAY_FILE"] = str(vnpay)
    started = start_serve(binary, work / "data", log_path, env, 60)  # a free port (a few tries); MOTCUA_PUBLIC_URL
    if started is None:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        shutil.rmtree(work, ignore_errors=True)
        pytest.exit(f"motcua serve did not become ready; server log:\n{tail}", returncode=2)
    proc, url, port = started
    srv = Server(url=url, host="127.0.0.1", port=port, pid=proc.pid, log=log_path, data_dir=work / "data", process=proc)
    try:
        yield srv
    finally:
        stop(proc)
        if os.environ.get("MOTCUA_SECURITY_KEEP"):
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    with running_server() as srv:
        _STATE["server"] = srv
        try:
            yield srv
        finally:
            _STATE.pop("server", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ARG001
    outcome = yield
    rep = outcome.get_result()
    srv = _STATE.get("server")
    if rep.failed and rep.when in ("setup", "call") and srv is not None:
        rep.sections.append(("server log: warnings and errors (last 15)", srv.problems(15)))


# Measurements tests report (e.g. latencies under slow uploads), printed before pytest's closing line.
FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("security figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


class DemoLogins(dict):
    def by_prefix(self, prefix: str) -> DemoLogin:
        """demo.by_prefix("tiepnhan.h06"): the account whose e-mail starts with that."""
        found = [d for e, d in self.items() if e.startswith(prefix + "@")]
        assert len(found) == 1, f"expected one demo account {prefix}@…, got {list(self)}"
        return found[0]


def read_demo_logins(server: Server) -> DemoLogins:
    """The demo staff accounts a server printed on its first start."""
    return _read_demo_logins(server.log, DemoLogins())


@pytest.fixture(scope="session")
def demo(server) -> DemoLogins:
    return read_demo_logins(server)


@pytest.fixture(scope="session")
def staff_client(server, demo):
    """staff_client("tiepnhan.h06") -> portal.Client signed in as that demo account (one per account)."""
    clients: dict[str, portal.Client] = {}

    def make(prefix: str) -> portal.Client:
        if prefix not in clients:
            login = demo.by_prefix(prefix)
            clients[prefix] = portal.sign_in(server.url, login.email, login.password)
        return clients[prefix]
    return make


@pytest.fixture(scope="session")
def admin(staff_client) -> portal.Client:
    return staff_client("quantri")


@pytest.fixture(scope="session")
def citizen_factory(server, admin):
    """make(organization=False, name=..., email=..., address=..., representative=..., user_agent=None)
    -> (Account, Client): registered through /dang-ky, verified, signed in."""
    def make(user_agent: str | None = None, **kwargs) -> tuple[portal.Account, portal.Client]:
        account = portal.register(server.url, admin, **kwargs)
        return account, portal.sign_in(server.url, account.email, account.password, user_agent=user_agent)
    return make


# ---------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def driver(server):  # noqa: ARG001  (quits before the server stops)
    from selenium import webdriver  # noqa: PLC0415  (only the browser checks need Selenium)
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.exit(f"no Chromium at {CHROMIUM} / {CHROMEDRIVER}: run tests/security/run.sh", returncode=2)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--no-first-run", "--disable-search-engine-choice-screen"):
        opts.add_argument(arg)
    # An alert stays open (and is found by switch_to.alert) instead of being dismissed by the driver.
    opts.set_capability("unhandledPromptBehavior", "ignore")
    downloads = Path(tempfile.mkdtemp(prefix="motcua-security-downloads."))
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        drv.set_page_load_timeout(30)
        drv.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        # The portal's CSP would stop an injected inline script by itself; bypassing it makes the browser
        # check test the escaping. (The CSP header is asserted separately.)
        drv.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
        drv.downloads = downloads  # type: ignore[attr-defined]
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(downloads, ignore_errors=True)
