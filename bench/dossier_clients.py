"""Closed-loop JSON API clients of bench/dossiers.sh, with the server's memory and CPU read from /proc.

    python3 bench/dossier_clients.py login    --base URL --email E --password P
    python3 bench/dossier_clients.py submit   --base URL --bench FILE --pid PID [--clients 16] [--duration S]
    python3 bench/dossier_clients.py upload   --base URL --bench FILE --pid PID --work DIR [--size-mb 100]
    python3 bench/dossier_clients.py api-mix  --base URL --bench FILE --pid PID --db SQLITE [--clients 8] [--duration S]

FILE is the JSON written by bench/gen_dossiers.py --out (tokens of verified citizens and receptionists).
`login` signs a citizen in through the login form and prints the Cookie header of the session.
The others run one phase, print a Markdown section, and write it (--md) and the figures (--out, JSON):

- submit: each client creates a draft (individual procedure 1.005384 of 000.00.08.H06), uploads two
  1 MB PDFs (random bytes inside, so no two files are the same) and submits it; dossiers/s, latency of a
  whole dossier, the server's RSS before, sampled every 50 ms, and its VmHWM (peak, reset before the
  phase through /proc/PID/clear_refs when allowed), and a check that every code is distinct.
- upload: one 100 MB PDF streamed from a file (PUT .../documents/1/files, Content-Length) after a small
  warm-up upload; the RSS increase: peak during the upload minus before.
- api-mix: for each operation in turn, `--clients` closed-loop clients for `--duration` seconds: create a
  draft, read one of the client's dossiers by id, list filtered by code (?code=), attach an 8 KiB PDF to
  a draft, and a receptionist's `accept` of dossiers waiting at the desk (staff API, back office).
  req/s, p50/p99, errors and the server's CPU ms per request (utime+stime of /proc/PID/stat).

Standard library only (http.client, threads). Every answer with an unexpected status is an error; the
first few are printed.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_dossiers import PDFLayout, pdf_bytes  # noqa: E402

AGENCY = "000.00.08.H06"
PROCEDURE = "1.005384"  # individuals; document 1 mandatory (PDF), document 2 optional (PDF); online delivery
DRAFT = {
    "agencyCode": AGENCY, "procedureCode": PROCEDURE, "requestSummary": "Đăng ký dự tuyển viên chức (thử tải).",
    "values": {"exam_position": "Chuyên viên lưu trữ", "recruiting_agency": "Sở Nội vụ tỉnh Bắc Kạn"},
    "deliveryMethod": "online",
}
CODE_PATTERN = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4,}$")
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- HTTP -------------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection, as one browser tab or API client; reconnects once after a dropped one."""

    def __init__(self, base: str, token: str | None = None) -> None:
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.token = token
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                timeout: float = 60) -> tuple[int, bytes]:
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout, blocksize=1 << 20)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = None
                if attempt == 1 or hasattr(body, "read"):
                    raise
        raise AssertionError("not reached")

    def json(self, method: str, path: str, expect: int, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        status, data = self.request(method, path, body, headers)
        if status != expect:
            raise Unexpected(method, path, status, data)
        return json.loads(data) if data else None


class Unexpected(Exception):
    def __init__(self, method: str, path: str, status: int, body: bytes) -> None:
        super().__init__(f"{method} {path} -> {status}: {body[:300].decode(errors='replace')}")
        self.status = status


# --- The server seen through /proc ------------------------------------------------------------------

def proc_status(pid: int, key: str) -> int:
    """A kB value of /proc/PID/status (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def reset_peak(pid: int) -> bool:
    """Resets VmHWM to the current RSS (Linux ≥ 4.0, needs the right to write clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RSSSampler:
    """Samples the server's VmRSS every `interval` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.before = proc_status(pid, "VmRSS")
        self.peak = self.before
        self.samples = 0
        self.hwm_reset = reset_peak(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, proc_status(self.pid, "VmRSS"))
                self.samples += 1
            except (OSError, KeyError):
                return
            self._stop.wait(self.interval)

    def __enter__(self) -> "RSSSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.after = proc_status(self.pid, "VmRSS")
        self.hwm = proc_status(self.pid, "VmHWM")
        self.peak = max(self.peak, self.after)

    def figures(self) -> dict[str, Any]:
        return {"rssBeforeKB": self.before, "rssPeakSampledKB": self.peak, "rssAfterKB": self.after,
                "vmHWMKB": self.hwm, "hwmResetBeforePhase": self.hwm_reset, "samples": self.samples}


# --- Measurements -----------------------------------------------------------------------------------

@dataclass
class Tally:
    """Latencies (s) and errors of one operation across its client threads."""
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.first_errors) < 3:
                self.first_errors.append(message)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run_clients(count: int, duration: float, step: Callable[[int, Tally], bool], tally: Tally) -> float:
    """Runs `step(client_index, tally)` in `count` threads until `duration` passes or a step returns False;
    returns the elapsed seconds."""
    deadline = time.monotonic() + duration

    def loop(index: int) -> None:
        while time.monotonic() < deadline:
            try:
                if not step(index, tally):
                    return
            except Unexpected as error:
                tally.error(str(error))
            except (OSError, http.client.HTTPException) as error:
                tally.error(f"{type(error).__name__}: {error}")
                time.sleep(0.05)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 120)
    return time.monotonic() - started


def timed(tally: Tally, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    tally.ok(time.perf_counter() - started)
    return result


def load_bench(path: Path) -> dict[str, Any]:
    bench = json.loads(path.read_text())
    if not bench.get("citizens") or not all(c.get("token") for c in bench["citizens"]):
        raise SystemExit(f"{path}: no citizen tokens (made by bench/gen_dossiers.py --out)")
    return bench


def fail(message: str) -> None:
    print(f"dossier_clients: {message}", file=sys.stderr)
    sys.exit(1)


def upload_pdf(client: Client, dossier_id: int, position: int, data: Any, name: str, length: int | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/pdf", "X-File-Name": name}
    if length is not None:
        headers["Content-Length"] = str(length)
    return client.json("PUT", f"/api/v1/dossiers/{dossier_id}/documents/{position}/files", 201, data, headers)


# --- Phases -----------------------------------------------------------------------------------------

def phase_login(args: argparse.Namespace) -> None:
    """Signs in through the form (CSRF cookie + field) and prints the Cookie header of the session."""
    url = urllib.parse.urlsplit(args.base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
    cookies: dict[str, str] = {}

    def exchange(method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    status, page = exchange("GET", "/dang-nhap")
    match = re.search(rb'name="_csrf" value="([^"]+)"', page)
    if status != 200 or not match or "motcua_csrf" not in cookies:
        fail("GET /dang-nhap gave no _csrf field or motcua_csrf cookie")
    form = urllib.parse.urlencode({"_csrf": html.unescape(match.group(1).decode()), "email": args.email,
                                   "password": args.password})
    status, _ = exchange("POST", "/dang-nhap", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                       "Cookie": f"motcua_csrf={cookies['motcua_csrf']}"})
    if status != 303 or not cookies.get("motcua_session"):
        fail(f"POST /dang-nhap as {args.email} answered {status} without a session cookie")
    print(f"motcua_session={cookies['motcua_session']}; motcua_csrf={cookies['motcua_csrf']}")


def phase_submit(args: argparse.Namespace) -> dict[str, Any]:
    bench = load_bench(args.bench)
    citizens = bench["citizens"][1:args.clients + 1] or bench["citizens"]
    if len(citizens) < args.clients:
        fail(f"{len(citizens)} citizen tokens for {args.clients} clients: run gen_dossiers.py with more --token-citizens")
    clients = [Client(args.base, c["token"]) for c in citizens]
    size = args.file_kb * 1024
    codes: list[str] = []
    codes_lock = threading.Lock()
    uploads = Tally()

    # One dossier first, outside the measure: the route works and the token holders may file.
    probe = clients[0].json("POST", "/api/v1/dossiers", 201, DRAFT)
    upload_pdf(clients[0], probe["id"], 1, pdf_bytes(size, "Thu nghiem"), "to-khai.pdf")
    done = clients[0].json("POST", f"/api/v1/dossiers/{probe['id']}/submit", 200)
    if done.get("status") != 1 or not CODE_PATTERN.match(done.get("code") or ""):
        fail(f"submit answered {done}")

    def step(index: int, tally: Tally) -> bool:
        client = clients[index]
        started = time.perf_counter()
        draft = client.json("POST", "/api/v1/dossiers", 201, DRAFT)
        for position in (1, 2):
            t = time.perf_counter()
            upload_pdf(client, draft["id"], position, pdf_bytes(size, f"Ho so {draft['id']}"), f"tep-{position}.pdf")
            uploads.ok(time.perf_counter() - t)
        submitted = client.json("POST", f"/api/v1/dossiers/{draft['id']}/submit", 200)
        if submitted.get("status") != 1 or not CODE_PATTERN.match(submitted.get("code") or ""):
            raise Unexpected("POST", "submit", 200, json.dumps(submitted).encode())
        tally.ok(time.perf_counter() - started)
        with codes_lock:
            codes.append(submitted["code"])
        return True

    tally = Tally()
    cpu_before = cpu_ticks(args.pid)
    with RSSSampler(args.pid) as rss:
        elapsed = run_clients(args.clients, args.duration, step, tally)
    cpu_ms = (cpu_ticks(args.pid) - cpu_before) * 1000 / CLK_TCK
    n = len(tally.latencies)
    result = {
        "clients": args.clients, "seconds": round(elapsed, 2), "dossiers": n, "dossiersPerSecond": round(n / elapsed, 2),
        "fileBytes": size, "p50ms": round(percentile(tally.latencies, 50) * 1000, 1),
        "p99ms": round(percentile(tally.latencies, 99) * 1000, 1),
        "uploadP50ms": round(percentile(uploads.latencies, 50) * 1000, 1),
        "uploadP99ms": round(percentile(uploads.latencies, 99) * 1000, 1),
        "errors": tally.errors, "firstErrors": tally.first_errors, "distinctCodes": len(set(codes)),
        "cpuMsPerDossier": round(cpu_ms / n, 1) if n else None, **rss.figures(),
    }
    mb = lambda kb: f"{kb / 1024:.1f}"  # noqa: E731
    lines = [
        f"## Submitting dossiers: {args.clients} clients, two {args.file_kb // 1024 or args.file_kb} "
        f"{'MB' if args.file_kb >= 1024 else 'KiB'} PDFs each",
        "",
        "Each client: `POST /api/v1/dossiers` (draft), two `PUT …/documents/{1,2}/files`, `POST …/submit`, over and over "
        f"for {args.duration:g} s.",
        "",
        "| dossiers | dossiers/s | p50 per dossier (ms) | p99 per dossier (ms) | upload p50/p99 (ms) | server CPU ms per dossier | errors | distinct codes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {n} | {result['dossiersPerSecond']:.1f} | {result['p50ms']:.0f} | {result['p99ms']:.0f} | "
        f"{result['uploadP50ms']:.0f} / {result['uploadP99ms']:.0f} | {result['cpuMsPerDossier']} | {tally.errors} | "
        f"{len(set(codes))} of {len(codes)} |",
        "",
        f"Server memory: RSS {mb(rss.before)} MB before, peak {mb(rss.peak)} MB sampled every 50 ms "
        f"(+{mb(rss.peak - rss.before)} MB), VmHWM {mb(rss.hwm)} MB "
        + ("(reset to the RSS before the phase)" if rss.hwm_reset else "(peak since the server started: clear_refs not writable)")
        + f", {mb(rss.after)} MB after.",
    ]
    if tally.first_errors:
        lines += ["", "First errors:", *[f"- `{e}`" for e in tally.first_errors]]
    if len(set(codes)) != len(codes):
        lines += ["", f"**{len(codes) - len(set(codes))} codes were given twice.**"]
    result["markdown"] = "\n".join(lines)
    return result


def phase_upload(args: argparse.Namespace) -> dict[str, Any]:
    bench = load_bench(args.bench)
    client = Client(args.base, bench["citizens"][-1]["token"])
    size = args.size_mb * 1_048_576
    path = args.work / f"upload-{args.size_mb}mb.pdf"
    layout = PDFLayout(size, "Tep lon")
    with path.open("wb") as out:
        out.write(layout.prefix)
        remaining = layout.filler_length
        chunk = os.urandom(1 << 20)
        while remaining > 0:
            out.write(chunk[:min(remaining, len(chunk))])
            remaining -= len(chunk)
        out.write(layout.suffix)
    draft = client.json("POST", "/api/v1/dossiers", 201, DRAFT)
    # Warm-up: the upload path once with a small file, so lazy set-up is not counted.
    upload_pdf(client, draft["id"], 2, pdf_bytes(64 * 1024, "Khoi dong"), "khoi-dong.pdf")
    time.sleep(0.5)
    started = time.perf_counter()
    with RSSSampler(args.pid) as rss, path.open("rb") as body:
        stored = upload_pdf(client, draft["id"], 1, body, "tep-lon.pdf", length=path.stat().st_size)
    seconds = time.perf_counter() - started
    path.unlink()
    if stored.get("size") != size:
        fail(f"the server stored {stored.get('size')} bytes of {size}")
    increase = rss.peak - rss.before
    hwm_increase = rss.hwm - rss.before if rss.hwm_reset else None
    result = {"sizeBytes": size, "seconds": round(seconds, 2), "mbPerSecond": round(args.size_mb / seconds, 1),
              "rssIncreaseKB": increase, "hwmIncreaseKB": hwm_increase, **rss.figures()}
    worst = max(increase, hwm_increase or 0) / 1024
    verdict = ("within a few MB" if worst <= 8 else f"**not streamed flat: memory rose by {worst:.0f} MB**")
    result["markdown"] = "\n".join([
        f"## One {args.size_mb} MB upload",
        "",
        "`PUT /api/v1/dossiers/{id}/documents/1/files`, raw body with Content-Length, after a 64 KiB warm-up upload.",
        "",
        "| upload time (s) | MB/s | RSS before (MB) | peak RSS sampled every 50 ms (MB) | VmHWM (MB) | increase (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {seconds:.2f} | {args.size_mb / seconds:.0f} | {rss.before / 1024:.1f} | {rss.peak / 1024:.1f} | "
        f"{rss.hwm / 1024:.1f}{'' if rss.hwm_reset else ' (since start)'} | {worst:.1f} |",
        "",
        f"Verdict: {verdict} (target: a 100 MB upload raises the server's memory by no more than a few MB).",
    ])
    return result


@dataclass
class Operation:
    name: str
    step: Callable[[int, Tally], bool]


def phase_api_mix(args: argparse.Namespace) -> dict[str, Any]:
    bench = load_bench(args.bench)
    holders = bench["citizens"][1:args.clients + 1]
    if len(holders) < args.clients:
        fail(f"{len(holders)} citizen tokens for {args.clients} clients")
    clients = [Client(args.base, c["token"]) for c in holders]
    # Each client's own dossiers (ids and codes) and drafts to attach files to.
    own: list[list[dict[str, Any]]] = []
    drafts: list[list[int]] = []
    for client in clients:
        items = [d for d in client.json("GET", "/api/v1/dossiers", 200)["items"] if d.get("code")]
        if not items:
            fail("a token holder has no submitted dossier")
        own.append(items)
        drafts.append([client.json("POST", "/api/v1/dossiers", 201, DRAFT)["id"] for _ in range(4)])
    counters = [0] * args.clients
    notes: dict[str, str] = {}

    # The ?code= filter (new in the contract): one exact match, or a binary that does not filter yet.
    probe = own[0][len(own[0]) // 2]
    listed = clients[0].json("GET", f"/api/v1/dossiers?code={urllib.parse.quote(probe['code'])}", 200)["items"]
    if [d.get("code") for d in listed] != [probe["code"]]:
        notes["list by code"] = (f"this binary ignores `?code=`: it answered {len(listed)} dossiers, not the one asked "
                                 "for (measured anyway: that is the unfiltered list)")

    def next_index(index: int, length: int) -> int:
        counters[index] += 1
        return counters[index] % length

    def create(index: int, tally: Tally) -> bool:
        timed(tally, lambda: clients[index].json("POST", "/api/v1/dossiers", 201, DRAFT))
        return True

    def read(index: int, tally: Tally) -> bool:
        dossier = own[index][next_index(index, len(own[index]))]
        got = timed(tally, lambda: clients[index].json("GET", f"/api/v1/dossiers/{dossier['id']}", 200))
        if got["id"] != dossier["id"]:
            raise Unexpected("GET", f"/api/v1/dossiers/{dossier['id']}", 200, b"another dossier")
        return True

    def by_code(index: int, tally: Tally) -> bool:
        code = own[index][next_index(index, len(own[index]))]["code"]
        timed(tally, lambda: clients[index].json("GET", f"/api/v1/dossiers?code={urllib.parse.quote(code)}", 200))
        return True

    def attach(index: int, tally: Tally) -> bool:
        draft = drafts[index][next_index(index, len(drafts[index]))]
        data = pdf_bytes(8192, f"Phu luc {counters[index]}")
        timed(tally, lambda: upload_pdf(clients[index], draft, 1 + counters[index] % 2, data, "phu-luc.pdf"))
        return True

    operations = [Operation("create a draft (`POST /api/v1/dossiers`)", create),
                  Operation("read one by id (`GET /api/v1/dossiers/{id}`)", read),
                  Operation("list filtered by code (`GET /api/v1/dossiers?code=`)", by_code),
                  Operation("attach an 8 KiB PDF to a draft (`PUT …/documents/{n}/files`)", attach)]
    staff_step, staff_note = staff_operation(args, bench)
    if staff_step is not None:
        operations.append(Operation("staff: accept a dossier (`POST /api/v1/staff/dossiers/{id}/actions`)", staff_step))
    if staff_note:
        notes["staff"] = staff_note

    rows = []
    for operation in operations:
        tally = Tally()
        # Warm-up: a few requests outside the measure.
        run_clients(args.clients, min(1.0, args.duration / 5), operation.step, Tally())
        cpu_before = cpu_ticks(args.pid)
        elapsed = run_clients(args.clients, args.duration, operation.step, tally)
        cpu_ms = (cpu_ticks(args.pid) - cpu_before) * 1000 / CLK_TCK
        n = len(tally.latencies)
        rows.append({
            "operation": operation.name, "requests": n, "seconds": round(elapsed, 2),
            "reqPerSecond": round(n / elapsed, 1), "p50ms": round(percentile(tally.latencies, 50) * 1000, 2),
            "p99ms": round(percentile(tally.latencies, 99) * 1000, 2), "meanMs": round(statistics.fmean(tally.latencies) * 1000, 2) if n else None,
            "cpuMsPerRequest": round(cpu_ms / n, 2) if n else None, "errors": tally.errors, "firstErrors": tally.first_errors,
            "notes": tally.notes,
        })
    lines = [
        f"## JSON API operations: {args.clients} closed-loop clients, {args.duration:g} s each",
        "",
        "Each client is a verified citizen with its own token (its own dossiers, 4 drafts made before); the staff "
        "operation uses the receptionists' tokens, two clients per agency. Server CPU from /proc/PID/stat "
        "(utime+stime) before and after each operation, divided by its requests.",
        "",
        "| operation | requests | req/s | p50 (ms) | p99 (ms) | server CPU ms/request | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| {row['operation']} | {row['requests']} | {row['reqPerSecond']:.0f} | {row['p50ms']:.1f} | "
                     f"{row['p99ms']:.1f} | {row['cpuMsPerRequest']} | {row['errors']} |")
    for row in rows:
        for message in row["firstErrors"]:
            lines.append(f"\n- {row['operation']}: `{message}`")
        for message in row["notes"]:
            lines.append(f"\n- {row['operation']}: {message}")
    for name, message in notes.items():
        lines.append(f"\n- {name}: {message}")
    return {"clients": args.clients, "duration": args.duration, "operations": rows, "notes": notes,
            "markdown": "\n".join(lines)}


def staff_operation(args: argparse.Namespace, bench: dict[str, Any]) -> tuple[Callable[[int, Tally], bool] | None, str]:
    """The receptionist's `accept` on dossiers waiting at the desk (status 1), taken from the database;
    (None, why) when the binary has no staff API yet or nothing waits."""
    staff = {s["agencyCode"]: s["token"] for s in bench.get("staff", []) if s.get("role") == "receptionist"}
    if not staff:
        return None, "no receptionist token in the bench file: staff operation skipped"
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    waiting: dict[str, list[int]] = {}
    for dossier_id, agency_code in db.execute("""
            SELECT d.id, a.code FROM dossiers d JOIN agencies a ON a.id = d.agency_id
            WHERE d.status = 1 ORDER BY d.id"""):
        if agency_code in staff:
            waiting.setdefault(agency_code, []).append(dossier_id)
    db.close()
    agencies = sorted(waiting)
    if not agencies:
        return None, "no dossier waits at the desk (status 1): staff operation skipped"
    # Client i works for agency i mod n; the agency's waiting dossiers are dealt out among its clients.
    queues: list[list[int]] = []
    tokens: list[str] = []
    for index in range(args.clients):
        agency = agencies[index % len(agencies)]
        colleagues = [i for i in range(args.clients) if agencies[i % len(agencies)] == agency]
        queues.append(list(reversed(waiting[agency][colleagues.index(index)::len(colleagues)])))
        tokens.append(staff[agency])
    clients = [Client(args.base, token) for token in tokens]
    probe_id = queues[0].pop()
    status, body = clients[0].request("POST", f"/api/v1/staff/dossiers/{probe_id}/actions",
                                      {"action": "accept", "note": ""})
    if status == 404:
        return None, f"no staff API in this binary (`POST /api/v1/staff/dossiers/{{id}}/actions` answered 404)"
    if status != 200:
        return None, f"`accept` of dossier {probe_id} answered {status}: {body[:200].decode(errors='replace')}: skipped"
    total = sum(len(q) for q in queues)
    exhausted = threading.Event()

    def step(index: int, tally: Tally) -> bool:
        if not queues[index]:
            if not exhausted.is_set():
                exhausted.set()
                tally.notes.append(f"the {total} dossiers waiting at the desk ran out before the time was up")
            return False
        dossier_id = queues[index].pop()
        got = timed(tally, lambda: clients[index].json("POST", f"/api/v1/staff/dossiers/{dossier_id}/actions", 200,
                                                       {"action": "accept", "note": ""}))
        if got.get("status") != 2:
            raise Unexpected("POST", f"accept {dossier_id}", 200, json.dumps(got).encode()[:200])
        return True

    return step, ""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="phase", required=True)
    login = sub.add_parser("login")
    login.add_argument("--base", required=True)
    login.add_argument("--email", required=True)
    login.add_argument("--password", required=True)
    for name in ("submit", "upload", "api-mix"):
        p = sub.add_parser(name)
        p.add_argument("--base", required=True)
        p.add_argument("--bench", type=Path, required=True, help="JSON written by gen_dossiers.py --out")
        p.add_argument("--pid", type=int, required=True, help="the server's process id")
        p.add_argument("--out", type=Path, help="write the figures here (JSON)")
        p.add_argument("--md", type=Path, help="write the Markdown section here")
        if name == "submit":
            p.add_argument("--clients", type=int, default=16)
            p.add_argument("--duration", type=float, default=15)
            p.add_argument("--file-kb", type=int, default=1024, help="size of each of the two PDFs")
        elif name == "upload":
            p.add_argument("--work", type=Path, required=True, help="where the big file is written (and removed)")
            p.add_argument("--size-mb", type=int, default=100)
        else:
            p.add_argument("--db", type=Path, required=True, help="the SQLite database (read-only: dossiers waiting)")
            p.add_argument("--clients", type=int, default=8)
            p.add_argument("--duration", type=float, default=15)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.phase == "login":
        phase_login(args)
        return
    phase = {"submit": phase_submit, "upload": phase_upload, "api-mix": phase_api_mix}[args.phase]
    try:
        result = phase(args)
    except Unexpected as error:
        fail(str(error))
    if args.out:
        args.out.write_text(json.dumps({k: v for k, v in result.items() if k != "markdown"}, ensure_ascii=False, indent=1))
    if args.md:
        args.md.write_text(result["markdown"] + "\n")
    print(result["markdown"])


if __name__ == "__main__":
    main()
