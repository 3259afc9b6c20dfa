"""Browser suite of MotCua: fixtures shared by every journey.

A REAL `motcua serve` (SQLite, fresh temp data dir, free port on 127.0.0.1, demo catalog) that sends
its mail over SMTP to a REAL SMTP sink (aiosmtpd, writing a Maildir), and ONE headless Debian Chromium,
all started once per session and stopped at its end (the server and the sink by their PIDs).

Fixtures:
  server      -> Server(url, pid, log, maildir, data_dir, binary): the running portal; server.url +
                 "/thu-tuc" etc.; server.log holds everything it printed (stdout and stderr)
  vnpay       -> VNPaySimulator (vnpay_simulator.py): the session's VNPay gateway, started before the portal; the
                 portal's MOTCUA_VNPAY_FILE makes it the terminal of VNPAY_AGENCY (Cần Thơ), and its ipn_url is
                 the portal's IPN address once the portal is up; .checkouts, .notifications, .refusals
  mailbox     -> MailSink: mailbox.wait_for("a@b.vn") -> Mail(to, subject, text, links) delivered to
                 the sink (waits up to 15 s; each message is handed out once)
  demo_logins -> {email: DemoLogin(email, password, role)}: the demo staff accounts the server printed
                 on its first start; demo_logins.agency_admin("Sơn La"), demo_logins.system_admin()
  staff       -> {"receptionist" | "processor" | "head" | "leader": Credentials}: helpers.STAFF of helpers.AGENCY,
                 made by `motcua create-user --unit` against the running server's data dir (units: helpers.STAFF_PLACES);
                 "head" is made head of helpers.PROCESSING_UNIT by the agency's demo admin on /quan-tri/don-vi
  users       -> {"citizen" | "agency_admin" | "system_admin" | "receptionist" | "processor" | "head" | "leader":
                 Credentials}: accounts for pages behind a login (the citizen is registered and verified
                 once per session, over HTTP)
  new_citizen -> new_citizen(email) registers and verifies an individual account over HTTP: Credentials
  sign_in_as  -> sign_in_as("citizen"): the browser gets that user's session cookies (no typing)
  file_dossier -> file_dossier(credentials) -> (id, code): that citizen files a complete dossier over HTTP
  citizen_dossiers -> CitizenDossiers(draft_id, ready_id, submitted_id, code): an empty draft, a complete
                 draft and a submitted dossier of users["citizen"] (helpers.PROCEDURE), made once over HTTP;
                 .values() fills PageType paths
  backoffice_dossiers -> BackOfficeDossiers(registered_id, supplement_id, processing_id, approval_id, returned_id, …):
                 dossiers of users["citizen"] moved on by the staff over HTTP with the back office's forms (every
                 step handed to a person: nothing is left waiting in the unit head's "Chờ phân công")
  driver      -> the session's Chromium (selenium WebDriver); prefer `browser` in tests
  browser     -> the same driver, reset for each test: 1280x800 window, no cookies, empty downloads dir
  downloads   -> Path of the directory Chromium saves downloads into (emptied before each test)

When a test fails, a screenshot, the page source, the URL and the browser console go to
.build/browser-artifacts/ (ignored by git; override with MOTCUA_BROWSER_ARTIFACTS), and the tail of the
server log is shown in the report.

Environment:
  MOTCUA_BIN      the motcua binary (default: .build/debug/motcua of this work tree)
  CHROMIUM_BIN    default /usr/bin/chromium
  CHROMEDRIVER    default /usr/bin/chromedriver
"""

from __future__ import annotations

import email
import email.policy
import html
import http.cookiejar
import json
import mailbox as maildir_lib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from helpers import (AGENCY, ARTIFACTS, DOSSIER_CODE_RE, PDF_BYTES, PROCEDURE, PROCESSING_UNIT, STAFF, STAFF_PLACES,
                     Credentials, artifact_name)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the helpers the suites share
from support.server import (DemoLogin, log_tail, motcua_bin, read_demo_logins, start_on_free_port,  # noqa: E402
                            start_serve, stop, stop_on_sigterm)
from vnpay_simulator import VNPaySimulator  # noqa: E402

# The agency whose fees are paid online in the payment journeys, through the session's VNPay simulator.
VNPAY_AGENCY = "000.00.09.H13"
IPN_PATH = "/api/v1/payments/vnpay/ipn"

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WINDOW = (1280, 800)

# What the failure hook needs, whatever fixtures the failing test asked for.
_STATE: dict = {}


def _motcua_bin() -> Path:
    return motcua_bin(".build/debug/motcua", ".build/x86_64-unknown-linux-gnu/debug/motcua")


def pytest_configure(config):  # noqa: ARG001
    # A SIGTERM from scripts/test's trap stops pytest in order: the server and Chromium are stopped too.
    stop_on_sigterm()


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
    maildir: Path | None = None
    data_dir: Path | None = None  # the server's --data-dir (for `motcua create-user` against the same database)
    binary: Path | None = None

    def tail(self, lines: int = 30) -> str:
        return log_tail(self.log, lines)

    def status(self, path: str) -> int:
        """HTTP status of GET path, without the browser (Selenium cannot see status codes)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code


def _wait_port(proc: subprocess.Popen, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(64).startswith(b"220"):
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


@dataclass
class SmtpSink:
    host: str
    port: int
    pid: int
    maildir: Path
    log: Path


@pytest.fixture(scope="session")
def smtp_sink():
    """A real SMTP server (aiosmtpd) on a free port that stores every message in a Maildir."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        pytest.exit("aiosmtpd is missing: run tests/browser/run.sh (it installs requirements.txt)", returncode=2)
    work = Path(tempfile.mkdtemp(prefix="motcua-smtp."))
    maildir = work / "Maildir"
    log_path = work / "smtp.log"
    started = start_on_free_port(
        lambda port: [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                      "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        log_path, lambda proc, port: _wait_port(proc, port, 20))
    if started is None:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        shutil.rmtree(work, ignore_errors=True)
        pytest.exit(f"the SMTP sink (aiosmtpd) did not start; its log:\n{tail}", returncode=2)
    proc, port = started
    try:
        yield SmtpSink("127.0.0.1", port, proc.pid, maildir, log_path)
    finally:
        stop(proc)
        if _STATE.get("failed") and log_path.exists():
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(log_path, ARTIFACTS / "smtp.log")
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def vnpay():
    """The session's VNPay gateway simulator (vnpay_simulator.py): bound to its port before the portal starts, so
    the portal's MOTCUA_VNPAY_FILE names it as the terminal of VNPAY_AGENCY; its IPN address is set once the
    portal's URL is known (the `server` fixture does)."""
    sim = VNPaySimulator().start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="session")
def server(smtp_sink, vnpay):
    binary = _motcua_bin()
    if not os.access(binary, os.X_OK):
        pytest.exit(f"motcua binary not found or not executable: {binary} (set MOTCUA_BIN)", returncode=2)
    work = Path(tempfile.mkdtemp(prefix="motcua-browser."))
    log_path = work / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("MOTCUA_SMTP_")}  # SQLite
    vnpay_file = work / "vnpay.json"
    vnpay_file.write_text(json.dumps({VNPAY_AGENCY: vnpay.settings()}, indent=2), encoding="utf-8")
    env.update({
        "MOTCUA_SMTP_HOST": smtp_sink.host,
        "MOTCUA_SMTP_PORT": str(smtp_sink.port),
        "MOTCUA_SMTP_SECURITY": "none",
        "MOTCUA_VNPAY_FILE": str(vnpay_file),  # the simulator is Cần Thơ's gateway
    })
    # On a free port (a few tries), with MOTCUA_PUBLIC_URL its own URL: the links in the mail point at it.
    started = start_serve(binary, work / "data", log_path, env, 60)
    if started is None:
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        shutil.rmtree(work, ignore_errors=True)
        pytest.exit(f"motcua serve did not become ready; server log:\n{tail}", returncode=2)
    proc, url, _ = started
    vnpay.ipn_url = url + IPN_PATH  # VNPay's merchant setting: where the gateway notifies the portal

    srv = Server(url=url, pid=proc.pid, log=log_path, maildir=smtp_sink.maildir, data_dir=work / "data", binary=binary)
    _STATE["server"] = srv
    try:
        yield srv
    finally:
        stop(proc)
        if _STATE.get("failed"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(log_path, ARTIFACTS / "server.log")
        _STATE.pop("server", None)
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Mail and accounts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    links: tuple[str, ...]

    def link(self, path: str) -> str:
        """The one link of the mail whose path is `path` (e.g. "/xac-thuc-email")."""
        found = [u for u in self.links if urllib.parse.urlsplit(u).path == path]
        assert len(found) == 1, f"expected one {path} link in the mail {self.subject!r}, got {self.links}:\n{self.text}"
        return found[0]


class MailSink:
    """Reads what the SMTP sink received. Each message is handed out once (per session)."""

    def __init__(self, maildir: Path):
        self.maildir = maildir
        self._taken: set[str] = set()

    def _messages(self):
        if not (self.maildir / "new").is_dir():
            return []
        box = maildir_lib.Maildir(str(self.maildir), create=False)
        out = []
        for key in box.keys():
            try:
                raw = box.get_bytes(key)
            except (KeyError, FileNotFoundError):
                continue  # moved under our feet
            out.append((key, email.message_from_bytes(raw, policy=email.policy.default)))
        # Oldest first: Maildir names start with the delivery time.
        out.sort(key=lambda km: km[0])
        return out

    def all(self) -> list[Mail]:
        return [self._mail(msg) for _, msg in self._messages()]

    @staticmethod
    def _mail(msg) -> Mail:
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        text = text.replace("\r\n", "\n")
        links = tuple(html.unescape(u) for u in re.findall(r"https?://[^\s<>\"']+", text))
        return Mail(to=str(msg["To"]), subject=str(msg["Subject"]), text=text, links=links)

    def wait_for(self, to: str, timeout: float = 15, subject: str | None = None) -> Mail:
        """The oldest message to `to` not handed out yet (optionally with `subject` in its subject)."""
        deadline = time.monotonic() + timeout
        while True:
            for key, msg in self._messages():
                if key in self._taken:
                    continue
                mail = self._mail(msg)
                rcpts = {a.strip().lower() for a in (mail.to + "," + str(msg.get("X-RcptTo", ""))).split(",")}
                if to.lower() not in rcpts:
                    continue
                if subject and subject not in mail.subject:
                    continue
                self._taken.add(key)
                return mail
            if time.monotonic() >= deadline:
                seen = [(m.to, m.subject) for m in self.all()]
                raise AssertionError(f"no mail to {to}{f' about {subject!r}' if subject else ''} within {timeout}s; "
                                     f"the sink has: {seen}")
            time.sleep(0.25)


@pytest.fixture(scope="session")
def mailbox(server) -> MailSink:
    return MailSink(server.maildir)


class DemoLogins(dict):
    def agency_admin(self, province: str) -> DemoLogin:
        return self._one(lambda d: d.role.startswith("Quản trị cơ quan") and d.role.endswith(province),
                         f"agency admin of {province}")

    def system_admin(self) -> DemoLogin:
        return self._one(lambda d: d.role == "Quản trị hệ thống", "system admin")

    def _one(self, pred, what: str) -> DemoLogin:
        found = [d for d in self.values() if pred(d)]
        assert len(found) == 1, f"expected one {what} among the demo logins, got {found or list(self.values())}"
        return found[0]


@pytest.fixture(scope="session")
def demo_logins(server) -> DemoLogins:
    """The demo staff accounts the server printed (stdout) on its first start, by email."""
    return read_demo_logins(server.log, DemoLogins())


class HttpClient:
    """A cookie-keeping HTTP client for setting things up without the browser (no redirects followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ARG002
            return None

    def __init__(self, base_url: str):
        self.base = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect)

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=15) as resp:
                return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)

    def csrf(self, path: str) -> str:
        status, body, _ = self.request(path)
        assert status == 200, f"GET {path}: {status}"
        m = re.search(r'name="_csrf" value="([^"]+)"', body)
        assert m, f"no _csrf field on {path}"
        return m.group(1)

    def post_form(self, path: str, form: dict, page: str | None = None) -> tuple[int, str, dict]:
        return self.request(path, {"_csrf": self.csrf(page or path), **form})

    def post_file(self, path: str, field: str, filename: str, content: bytes,
                  content_type: str = "application/pdf") -> tuple[int, str, dict]:
        """POSTs one file as multipart/form-data (the CSRF token goes in path, as the upload forms do)."""
        boundary = "----motcua-browser-" + os.urandom(8).hex()
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + path, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(req, timeout=15) as resp:
                return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def set_cookies(self, cookies: dict[str, str]) -> None:
        host = urllib.parse.urlsplit(self.base).hostname
        for name, value in cookies.items():
            self.jar.set_cookie(http.cookiejar.Cookie(
                0, name, value, None, False, host, False, False, "/", True, False, None, True, None, None, {}))


def _sign_in_http(base_url: str, who: Credentials) -> dict[str, str]:
    client = HttpClient(base_url)
    status, body, headers = client.post_form("/dang-nhap", {"email": who.email, "password": who.password})
    assert status == 303 and client.cookie("motcua_session"), \
        f"signing {who.email} in over HTTP answered {status} {headers.get('Location')}: {body[:300]}"
    return {c.name: c.value for c in client.jar}


_CITIZEN_SEQ = iter(range(1, 10_000))


def register_citizen(base_url: str, mailbox: MailSink, email: str, password: str = "Hoa-sen-no-2026",
                     name: str = "Trần Thị Kiểm Thử", verify: bool = True) -> Credentials:
    """Registers an individual account over HTTP (the form's POST, with its CSRF token), and verifies its
    address with the link of the real mail unless verify=False."""
    n = next(_CITIZEN_SEQ)
    client = HttpClient(base_url)
    status, body, _ = client.post_form("/dang-ky", {
        "kind": "individual", "full_name": name, "citizen_id": f"0011900{n:05d}",
        "date_of_birth": "1990-05-17", "phone": f"0912{n:06d}", "email": email,
        "address": "12 Chu Văn An, Thành phố Sơn La", "password": password, "password_confirmation": password,
    })
    assert status == 200 and "Kiểm tra hộp thư" in body, f"registering {email} answered {status}: {body[:500]}"
    link = mailbox.wait_for(email, subject="Xác thực").link("/xac-thuc-email")
    if verify:
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["ma"][0]
        status, body, _ = client.post_form("/xac-thuc-email", {"ma": token}, page="/xac-thuc-email?ma=" + token)
        assert status in (200, 303), f"verifying {email} answered {status}: {body[:300]}"
    return Credentials(email, password, name)


@pytest.fixture(scope="session")
def new_citizen(server, mailbox):
    """new_citizen("x@example.vn") -> Credentials of a verified individual account registered over HTTP."""
    def make(email: str, password: str = "Hoa-sen-no-2026", name: str = "Trần Thị Kiểm Thử",
             verify: bool = True) -> Credentials:
        return register_citizen(server.url, mailbox, email, password, name, verify)
    return make


@pytest.fixture(scope="session")
def staff(server, demo_logins) -> dict[str, Credentials]:
    """{"receptionist" | "processor" | "head" | "leader": Credentials}: helpers.STAFF, staff of helpers.AGENCY made
    with `motcua create-user --unit` against the RUNNING server's data dir (SQLite in WAL mode: the server sees them
    at once, without a restart; they are email-verified already), each in its unit of helpers.STAFF_PLACES. There
    is no command for a unit's head: the agency's demo admin makes "head" the head of helpers.PROCESSING_UNIT with
    the form of /quan-tri/don-vi (over HTTP), in place of the demo head."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MOTCUA_DATA_DIR")}
    for key, who in STAFF.items():
        role, unit = STAFF_PLACES[key]
        done = subprocess.run(
            [str(server.binary), "create-user", "--data-dir", str(server.data_dir), "--email", who.email,
             "--name", who.name, "--role", role, "--agency", AGENCY, "--unit", unit, "--password", who.password],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, f"motcua create-user ({key}) exited {done.returncode}:\n{done.stdout}{done.stderr}"
        assert who.email in done.stdout, f"motcua create-user ({key}) did not name {who.email}: {done.stdout!r}"
    admin = demo_logins.agency_admin("Bắc Kạn")
    make_unit_head_http(signed_in_client(server.url, _sign_in_http(server.url, Credentials(admin.email, admin.password))),
                        PROCESSING_UNIT, STAFF["head"].name)
    return dict(STAFF)


def make_unit_head_http(admin: "HttpClient", unit: str, person: str) -> None:
    """On /quan-tri/don-vi (the agency admin's client): saves the form of `unit` with `person` (a display name) as
    its head, and checks the units table then names them."""
    status, body, _ = admin.request("/quan-tri/don-vi")
    assert status == 200, f"GET /quan-tri/don-vi as the agency admin: {status}"
    cards = [c for c in body.split('<section class="card"')[1:]
             if re.search(r"<h2[^>]*>\s*" + re.escape(html.escape(unit, quote=False)) + r"\s*</h2>", c)]
    assert len(cards) == 1, f"/quan-tri/don-vi has {len(cards)} cards of {unit!r}"
    action = re.search(r'<form action="([^"]+)" method="post">', cards[0])
    head_select = cards[0].split('name="head"', 1)[1].split("</select>", 1)[0]
    options = {html.unescape(label).strip(): value
               for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', head_select)}
    assert action and person in options, f"no head form or no option {person!r} for {unit!r}: {sorted(options)}"
    status, body, headers = admin.post_form(html.unescape(action.group(1)), {"name": unit, "head": options[person]},
                                            page="/quan-tri/don-vi")
    assert status == 303, f"making {person} head of {unit} answered {status} {headers.get('Location')}: {body[:600]}"
    status, body, _ = admin.request("/quan-tri/don-vi")
    row = re.search(r"<tr><td><a[^>]*>" + re.escape(html.escape(unit, quote=False)) + r"</a></td><td>([^<]*)</td>", body)
    assert row and html.unescape(row.group(1)) == person, f"the units table names {row and row.group(1)!r} head of {unit}"


@pytest.fixture(scope="session")
def users(new_citizen, demo_logins, staff) -> dict[str, Credentials]:
    """Accounts for the pages behind a login. The citizen is used by nothing else (journeys that change
    passwords or sign out everywhere make their own with new_citizen); journeys that move a dossier through
    the back office sign the staff in themselves and never change their passwords."""
    agency, system = demo_logins.agency_admin("Sơn La"), demo_logins.system_admin()
    return {
        "citizen": new_citizen("citizen.a11y@example.vn"),
        "agency_admin": Credentials(agency.email, agency.password, agency.role),
        "system_admin": Credentials(system.email, system.password, system.role),
        **staff,
    }


@pytest.fixture(scope="session")
def _session_cookies(server, users) -> dict[str, dict[str, str]]:
    """Signed-in cookies per user, made once over HTTP (no password typing, no bcrypt per test)."""
    return {who: _sign_in_http(server.url, cred) for who, cred in users.items()}


class _FormFields(HTMLParser):
    """The procedure's own fields (name f_*) of the start form: name -> (tag, type, required, first option)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag in ("input", "select", "textarea") and name.startswith("f_"):
            self.fields[name] = [tag, a.get("type") or "", "required" in a, None]
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and a.get("value") and self.fields[self._select][3] is None:
            self.fields[self._select][3] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def valid_field_value(tag: str, input_type: str, first_option: str | None) -> str:
    """A value the portal accepts for a field of the procedure's form, by its kind."""
    if tag == "select":
        return first_option or ""
    return {"number": "3", "date": "2026-03-15", "email": "lien.he@example.vn", "tel": "0912345678"}.get(
        input_type, "Nội dung kiểm thử")


def start_dossier_http(client: "HttpClient", procedure: str, delivery: str = "online") -> int:
    """Starts a draft of procedure ("/thu-tuc/{agency}/{code}") with valid values; returns its id."""
    path = procedure + "/nop-ho-so"
    status, body, _ = client.request(path)
    assert status == 200, f"GET {path}: {status}"
    parser = _FormFields()
    parser.feed(body)
    form = {name: valid_field_value(tag, typ, first) for name, (tag, typ, _, first) in parser.fields.items()}
    status, body, headers = client.post_form(path, {
        "request_summary": "Hồ sơ kiểm thử khả năng tiếp cận", **form, "delivery_method": delivery})
    m = re.fullmatch(r"/ho-so/(\d+)(\?.*)?", headers.get("Location") or "")
    assert status == 303 and m, f"starting a dossier over HTTP answered {status} {headers.get('Location')}: {body[:800]}"
    return int(m.group(1))


def upload_mandatory_documents_http(client: "HttpClient", dossier_id: int) -> None:
    """Attaches the PDF to every mandatory document (the slots whose heading says "Bắt buộc")."""
    status, body, _ = client.request(f"/ho-so/{dossier_id}")
    assert status == 200, f"GET /ho-so/{dossier_id}: {status}"
    slots = body.split('class="document-slot"')[1:]
    mandatory = [slot for slot in slots if "Bắt buộc" in slot.split("</h3>", 1)[0]]
    assert mandatory, f"/ho-so/{dossier_id} shows no mandatory document slot"
    for slot in mandatory:
        action = re.search(r'<form action="([^"]+)"[^>]*enctype="multipart/form-data"', slot)
        assert action, f"a mandatory slot of /ho-so/{dossier_id} has no upload form: {slot[:400]}"
        status, body, headers = client.post_file(html.unescape(action.group(1)), "file", "giay-to.pdf", PDF_BYTES)
        assert status == 303, f"uploading a PDF to {action.group(1)} answered {status}: {body[:500]}"


def submit_dossier_http(client: "HttpClient", dossier_id: int) -> str:
    """Submits a complete draft with the review page's form ("Nộp hồ sơ"); returns the dossier's code."""
    status, body, headers = client.post_form(f"/ho-so/{dossier_id}/nop", {}, page=f"/ho-so/{dossier_id}/xem-lai")
    # Post/redirect/get: the confirmation is a page of its own.
    assert status == 303 and headers.get("Location") == f"/ho-so/{dossier_id}/da-nop", \
        f"submitting /ho-so/{dossier_id} over HTTP answered {status}: {body[:800]}"
    status, body, _ = client.request(headers["Location"])
    code = DOSSIER_CODE_RE.search(body)
    assert status == 200 and "Đã nộp hồ sơ thành công" in body and code, \
        f"submitting /ho-so/{dossier_id} over HTTP answered {status}: {body[:800]}"
    return code.group(0)


def file_dossier_http(client: "HttpClient", delivery: str = "online") -> tuple[int, str]:
    """Files a complete dossier of helpers.PROCEDURE with the client's session: (id, code)."""
    dossier_id = start_dossier_http(client, PROCEDURE, delivery=delivery)
    upload_mandatory_documents_http(client, dossier_id)
    return dossier_id, submit_dossier_http(client, dossier_id)


def staff_action_http(client: "HttpClient", dossier_id: int, action: str, note: str = "", to: str | None = None) -> None:
    """Takes a back-office step on the dossier with the form of /mot-cua/ho-so/{id} (the client is signed in as
    staff): POST .../xu-ly action=…, which answers 303 back to the dossier. `to`: the display name of the person
    the forward or assign form's select gives the dossier to (None: nobody chosen)."""
    page = f"/mot-cua/ho-so/{dossier_id}"
    form = {"action": action, "note": note}
    if to is not None:
        form["to"] = person_option_http(client, dossier_id, action, to)
    status, body, headers = client.post_form(page + "/xu-ly", form, page=page)
    assert status == 303 and (headers.get("Location") or "").startswith(page), \
        f"{action} on {page} over HTTP answered {status} {headers.get('Location')}: {body[:800]}"


def person_option_http(client: "HttpClient", dossier_id: int, action: str, name: str) -> str:
    """The value of the option `name` in the select "to" of the `action` form of /mot-cua/ho-so/{id}."""
    status, body, _ = client.request(f"/mot-cua/ho-so/{dossier_id}")
    assert status == 200, f"GET /mot-cua/ho-so/{dossier_id}: {status}"
    forms = [f for f in body.split('<form class="action-form"')[1:] if f'name="action" value="{action}"' in f.split("</form>")[0]]
    assert forms, f"no {action} form on /mot-cua/ho-so/{dossier_id}"
    select = forms[0].split("</form>")[0].split('name="to"', 1)[-1].split("</select>", 1)[0]
    options = {html.unescape(label).strip(): value
               for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)}
    assert options.get(name), f"the {action} form of /mot-cua/ho-so/{dossier_id} offers {sorted(options)}, not {name!r}"
    return options[name]


def upload_result_http(client: "HttpClient", dossier_id: int, content: bytes = PDF_BYTES,
                       filename: str = "ket-qua.pdf") -> None:
    """Attaches a result file with the result form of /mot-cua/ho-so/{id} (processor or leader, status 4)."""
    page = f"/mot-cua/ho-so/{dossier_id}"
    token = client.csrf(page)
    status, body, headers = client.post_file(f"{page}/ket-qua?_csrf={urllib.parse.quote(token)}", "file", filename, content)
    assert status == 303, f"uploading a result to {page} over HTTP answered {status} {headers.get('Location')}: {body[:800]}"


def signed_in_client(base_url: str, cookies: dict[str, str]) -> "HttpClient":
    client = HttpClient(base_url)
    client.set_cookies(cookies)
    return client


@pytest.fixture(scope="session")
def file_dossier(server):
    """file_dossier(credentials, delivery="online") -> (id, code): that citizen signs in over HTTP and files a
    complete dossier of helpers.PROCEDURE (a PDF for every mandatory document, submitted from the review page)."""
    def make(who: Credentials, delivery: str = "online") -> tuple[int, str]:
        return file_dossier_http(signed_in_client(server.url, _sign_in_http(server.url, who)), delivery)
    return make


@dataclass(frozen=True)
class CitizenDossiers:
    """Dossiers of the shared a11y citizen, for the page types that show one (keys of PageType paths)."""
    draft_id: int
    ready_id: int  # a draft with every mandatory document attached: its review page can submit it
    submitted_id: int
    code: str

    def values(self) -> dict[str, object]:
        return {"draft_id": self.draft_id, "ready_id": self.ready_id, "submitted_id": self.submitted_id,
                "code": self.code}


@pytest.fixture(scope="session")
def citizen_dossiers(server, _session_cookies) -> CitizenDossiers:
    """A draft (nothing attached), a complete draft and a submitted dossier of users["citizen"], made once over
    HTTP with its session, for helpers.PROCEDURE."""
    client = signed_in_client(server.url, _session_cookies["citizen"])
    draft = start_dossier_http(client, PROCEDURE)
    ready = start_dossier_http(client, PROCEDURE, delivery="desk")
    upload_mandatory_documents_http(client, ready)
    submitted, code = file_dossier_http(client, delivery="desk")
    return CitizenDossiers(draft, ready, submitted, code)


@dataclass(frozen=True)
class BackOfficeDossiers:
    """Dossiers of the shared a11y citizen moved through the back office, one per state a page shows."""
    registered_id: int    # 1: waits for the desk (accept / supplement / refuse forms)
    supplement_id: int    # 5: the desk asked for more (the citizen's supplement form)
    processing_id: int    # 4: accepted, forwarded to the processor (receipt slip; the processor's result and forward
                          #    forms; the leader's assign form; the desk's read-only view)
    approval_id: int      # 4: at the leader's step with a result (approve and send-back forms)
    returned_id: int      # 10: result approved and returned (the citizen's "Kết quả giải quyết"; the control slip)
    returned_code: str

    def values(self) -> dict[str, object]:
        return {"registered_id": self.registered_id, "supplement_id": self.supplement_id,
                "processing_id": self.processing_id, "approval_id": self.approval_id,
                "returned_id": self.returned_id, "returned_code": self.returned_code}


@pytest.fixture(scope="session")
def backoffice_dossiers(server, _session_cookies) -> BackOfficeDossiers:
    """Filed by users["citizen"] and moved on by the session's staff over HTTP, with the pages' own forms."""
    citizen = signed_in_client(server.url, _session_cookies["citizen"])
    desk = signed_in_client(server.url, _session_cookies["receptionist"])
    processor = signed_in_client(server.url, _session_cookies["processor"])
    leader = signed_in_client(server.url, _session_cookies["leader"])
    registered, _ = file_dossier_http(citizen)
    supplement, _ = file_dossier_http(citizen)
    staff_action_http(desk, supplement, "requestSupplement",
                      "Thiếu bản sao giấy chứng nhận ưu tiên.\nPhiếu đăng ký chưa có chữ ký.")
    # Every step goes to a person, so nothing waits in the unit head's "Chờ phân công" (a journey counts it).
    processing, _ = file_dossier_http(citizen, delivery="desk")
    staff_action_http(desk, processing, "accept")
    staff_action_http(desk, processing, "forward", to=STAFF["processor"].name)

    def to_the_leader(dossier_id: int) -> None:
        staff_action_http(desk, dossier_id, "accept")
        staff_action_http(desk, dossier_id, "forward", to=STAFF["processor"].name)
        upload_result_http(processor, dossier_id)
        staff_action_http(processor, dossier_id, "forward", to=STAFF["processor"].name)  # the unit's second step
        staff_action_http(processor, dossier_id, "forward", to=STAFF["leader"].name)

    approval, _ = file_dossier_http(citizen)
    to_the_leader(approval)
    returned, returned_code = file_dossier_http(citizen)
    to_the_leader(returned)
    staff_action_http(leader, returned, "finish")
    staff_action_http(desk, returned, "returnResult")
    return BackOfficeDossiers(registered, supplement, processing, approval, returned, returned_code)


@pytest.fixture
def sign_in_as(browser, server, _session_cookies):
    """sign_in_as("citizen"): puts that user's session cookies into the (fresh) browser."""
    host = urllib.parse.urlsplit(server.url).hostname

    def sign_in(who: str) -> None:
        for name, value in _session_cookies[who].items():
            browser.execute_cdp_cmd("Network.setCookie", {
                "name": name, "value": value, "domain": host, "path": "/", "httpOnly": True, "sameSite": "Lax",
            })
    return sign_in


# ---------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _download_dir():
    d = Path(tempfile.mkdtemp(prefix="motcua-downloads."))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def driver(_download_dir, server):  # noqa: ARG001  (quits before the server stops: no open connections)
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
