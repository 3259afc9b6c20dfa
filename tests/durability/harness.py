"""Shared pieces of the durability tests (kill_loop.py, backup_restore.py); not run on its own.

- `Server`: one `motcua serve` on 127.0.0.1 with a data dir (and DATABASE_URL for PostgreSQL) that can be
  SIGKILLed and started again on the same port, data dir and database; its log is appended across starts.
- `make_citizens`: verified individual accounts with an API token each, made as a citizen does over the
  portal's HTML forms (the e-mail verification link is read from the server log: no SMTP is configured).
- `Database`: read-only SQL on the portal's database, SQLite (python's sqlite3) or PostgreSQL (psql).
- `Submission`: one acknowledged submission (the submit call answered 200 with a code) and its files.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the helpers the suites share
from support.server import free_port, log_tail, stop_on_sigterm, wait_ready  # noqa: E402, F401  (stop_on_sigterm: for the scripts)
from support.server import stop as stop_process  # noqa: E402

# The demo catalog's procedure the workers file: open to individuals, one mandatory PDF document
# (position 1) and one optional PDF document (position 2).
AGENCY = "000.00.08.H06"
PROCEDURE = "1.005384"
PASSWORD = "Hoa-sen-no-2026"
TIMEOUT = (5, 30)


SWEEP_GRACE_SECONDS = 2


class HarnessError(Exception):
    """Something the test needs did not work (not a durability finding)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------


def _die_with_parent() -> list[str]:
    """A prefix that SIGKILLs the server when the thread that started it dies, whatever killed the test
    (util-linux' setpriv; the test's main thread starts every server)."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


class Server:
    """`motcua serve` on a fixed port; `kill()` is SIGKILL, `start()` starts it again on the same data."""

    def __init__(self, binary: Path, data_dir: Path, log: Path, database_url: str | None, port: int | None = None,
                 extra_env: dict[str, str] | None = None):
        self.binary = binary
        self.extra_env = dict(extra_env or {})  # e.g. MOTCUA_VNPAY_FILE (payment_kill.py)
        self.data_dir = data_dir
        self.log = log
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DATABASE_URL"}
        # Cheap password hashes: the accounts are made once, the CPU goes to the submissions.
        env.update(MOTCUA_BCRYPT_COST="4", MOTCUA_PUBLIC_URL=self.url, LOG_LEVEL="info")
        # The start-up sweep removes files whose row a kill cut off; on PostgreSQL only once they are this
        # old (other processes could be mid-upload). Short here, so the final restart sweeps the last kill's.
        env["MOTCUA_FILE_SWEEP_GRACE_SECONDS"] = str(SWEEP_GRACE_SECONDS)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90) -> float:
        """Starts the server and waits for /readyz; returns the seconds it took. Retries a port still held."""
        t0 = time.monotonic()
        deadline = t0 + timeout
        while True:
            with self.log.open("ab") as out:
                out.write(f"\n===== durability: start #{self.starts + 1} =====\n".encode())
                out.flush()
                self.proc = subprocess.Popen(
                    [*_die_with_parent(), str(self.binary), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                     "--data-dir", str(self.data_dir)],
                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self._env(),
                )
            if self._wait_ready(deadline):
                self.starts += 1
                return time.monotonic() - t0
            code = self.proc.poll()
            if code is None or time.monotonic() >= deadline:
                self.stop(5)
                raise HarnessError(f"the server was not ready after {timeout:.0f} s\n{self.tail()}")
            if "Address already in use" not in self.tail(5):
                raise HarnessError(f"the server exited with status {code} while starting\n{self.tail()}")
            time.sleep(0.5)

    def _wait_ready(self, deadline: float) -> bool:
        assert self.proc is not None
        return wait_ready(self.proc, self.url, deadline=deadline, interval=0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, like a power cut of the process."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, seconds: float = 20) -> None:
        """Graceful stop (SIGTERM), SIGKILL after `seconds`."""
        if self.proc is not None:
            stop_process(self.proc, seconds)

    def tail(self, lines: int = 30) -> str:
        return log_tail(self.log, lines)

    @property
    def files_root(self) -> Path:
        return self.data_dir / "files"


# ---------------------------------------------------------------------------------------------------
# Citizens with API tokens
# ---------------------------------------------------------------------------------------------------


@dataclass
class Citizen:
    email: str
    token: str

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _csrf_of(response: requests.Response) -> str:
    match = re.search(r'name="_csrf" value="([^"]+)"', response.text)
    if not match:
        raise HarnessError(f"no _csrf field in {response.url} ({response.status_code})")
    return html.unescape(match.group(1))


def _verification_code(log: Path, email: str, wait: float = 30) -> str:
    """The code of the verification link mailed to `email`: the log entry of a mail spans several lines,
    its body (with the link) first and `to=ADDRESS [MotCua] Mail (no SMTP configured)` last."""
    pattern = re.compile(r"/xac-thuc-email\?ma=([A-Za-z0-9_-]+)(?:(?!/xac-thuc-email\?).)*?to=" + re.escape(email)
                         + r" ", re.S)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        match = pattern.search(log.read_text(errors="replace"))
        if match:
            return match.group(1)
        time.sleep(0.3)
    raise HarnessError(f"no verification mail to {email} in {log} after {wait:.0f} s")


def _expect(response: requests.Response, ok: bool, what: str) -> None:
    if not ok:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:400]
        raise HarnessError(f"{what}: {response.request.method} {response.url} -> {response.status_code}: {text}")


def make_citizen(base: str, log: Path, number: int) -> Citizen:
    """Signs up individual number `number`, verifies the address, signs in and makes an API token."""
    email = f"ben.{number}.{secrets.token_hex(3)}@example.vn"
    s = requests.Session()
    page = s.get(f"{base}/dang-nhap", timeout=TIMEOUT)
    csrf = _csrf_of(page)
    signup = s.post(f"{base}/dang-ky", timeout=TIMEOUT, data={
        "_csrf": csrf, "kind": "individual", "full_name": f"Nguyễn Văn Bền {number}",
        "citizen_id": f"0060900{secrets.randbelow(10**5):05d}", "date_of_birth": "1988-03-14",
        "phone": f"09{secrets.randbelow(10**8):08d}", "email": email,
        "address": "Tổ 1, phường Đức Xuân, thành phố Bắc Kạn", "password": PASSWORD,
        "password_confirmation": PASSWORD,
    })
    _expect(signup, signup.status_code < 400, "sign-up refused")
    verify = s.post(f"{base}/xac-thuc-email", data={"_csrf": csrf, "ma": _verification_code(log, email)},
                    timeout=TIMEOUT)
    _expect(verify, verify.status_code == 200, "e-mail verification refused")
    login = s.post(f"{base}/dang-nhap", data={"_csrf": csrf, "email": email, "password": PASSWORD},
                   timeout=TIMEOUT, allow_redirects=False)
    _expect(login, login.status_code == 303, "sign-in refused")
    account = s.get(f"{base}/tai-khoan", timeout=TIMEOUT)
    made = s.post(f"{base}/tai-khoan/token", data={"_csrf": _csrf_of(account), "token_name": "ben-bi"},
                  timeout=TIMEOUT)
    match = re.search(r'<code class="token">(mct_[^<]+)</code>', made.text)
    _expect(made, made.status_code == 200 and match is not None, "no API token shown")
    assert match is not None
    citizen = Citizen(email, html.unescape(match.group(1)))
    me = requests.get(f"{base}/api/v1/me", headers=citizen.headers(), timeout=TIMEOUT)
    _expect(me, me.status_code == 200 and me.json().get("emailVerified") is True, "token not accepted or unverified")
    return citizen


def make_citizens(base: str, log: Path, count: int) -> list[Citizen]:
    return [make_citizen(base, log, n + 1) for n in range(count)]


# ---------------------------------------------------------------------------------------------------
# Submissions
# ---------------------------------------------------------------------------------------------------


@dataclass
class StoredDoc:
    position: int  # 1-based, as in the API
    sha256: str
    size: int


@dataclass
class Submission:
    """A submission the server acknowledged: submit answered 200 with this code."""
    dossier_id: int
    code: str
    citizen: int  # index into the citizens list
    files: list[StoredDoc] = field(default_factory=list)
    acknowledged_at: float = 0.0  # time.time()

    @staticmethod
    def from_json(raw: dict) -> Submission:
        return Submission(raw["dossier_id"], raw["code"], raw["citizen"], [StoredDoc(**f) for f in raw["files"]],
                          raw.get("acknowledged_at", 0.0))


def random_pdf(serial: str, rng: random.Random) -> bytes:
    """A small PDF-looking file (the portal recognises `%PDF-1.x` … `trailer` … `%%EOF`) with random content, 1–96 KiB."""
    body = os.urandom(rng.randint(1024, 96 * 1024))
    return b"%PDF-1.4\n% durability " + serial.encode() + b"\n" + body + b"\ntrailer<<>>\n%%EOF\n"


def save_state(path: Path, database: str, citizens: list[Citizen], submissions: list[Submission], **extra) -> None:
    state = {"database": database, "citizens": [asdict(c) for c in citizens],
             "submissions": [asdict(s) for s in submissions], **extra}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(path)


def load_state(path: Path) -> tuple[str, list[Citizen], list[Submission], dict]:
    state = json.loads(path.read_text())
    return (state["database"], [Citizen(**c) for c in state["citizens"]],
            [Submission.from_json(s) for s in state["submissions"]], state)


# ---------------------------------------------------------------------------------------------------
# The database, read-only
# ---------------------------------------------------------------------------------------------------


def psql_binary() -> str:
    found = shutil.which("psql")
    if found:
        return found
    for version in ("17", "16", "15"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/psql")
        if candidate.exists():
            return str(candidate)
    raise HarnessError("psql not found (install postgresql-client)")


def with_database(url: str, name: str) -> str:
    """The same server URL with another database name."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class Database:
    """SQL on the portal's database: SQLite file under the data dir, or PostgreSQL through psql."""

    NULL = "\x1eNULL\x1e"

    def __init__(self, data_dir: Path, database_url: str | None):
        self.url = database_url
        self.sqlite_path = data_dir / "motcua.sqlite"

    @property
    def kind(self) -> str:
        return "postgres" if self.url else "sqlite"

    def rows(self, sql: str) -> list[tuple]:
        """Rows of a query; NULL is None, everything else a string (PostgreSQL) or SQLite's own types."""
        if self.url is None:
            con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple(r) for r in con.execute(sql).fetchall()]
            finally:
                con.close()
        return psql_rows(self.url, sql)

    def tables_with_column(self, column: str) -> list[str]:
        """Every table that has `column` (e.g. each table that names stored files by sha256)."""
        if self.url is None:
            sql = ("SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                   f"WHERE m.type = 'table' AND p.name = '{column}' ORDER BY 1")
        else:
            sql = ("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                   f"AND column_name = '{column}' ORDER BY 1")
        return [r[0] for r in self.rows(sql)]


def psql_rows(url: str, sql: str) -> list[tuple]:
    out = subprocess.run(
        [psql_binary(), url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-P", f"null={Database.NULL}", "-c", sql],
        capture_output=True, text=True, timeout=120,
    )
    if out.returncode != 0:
        raise HarnessError(f"psql failed ({out.returncode}): {out.stderr.strip()}\n  query: {sql}")
    rows = []
    for line in out.stdout.split("\n"):  # not splitlines(): it also splits at \x1c-\x1e
        if line:
            rows.append(tuple(None if v == Database.NULL else v for v in line.split("\x1f")))
    return rows


def psql_exec(url: str, sql: str) -> None:
    psql_rows(url, sql)
