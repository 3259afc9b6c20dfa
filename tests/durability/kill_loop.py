"""Durability under SIGKILL: continuous submissions, the server killed at random moments and restarted.

    python tests/durability/kill_loop.py --bin MOTCUA --work DIR [--kills 20] [--workers 4]
                                         [--min-run 0.5] [--max-run 3] [--verify-last 20]

Starts `motcua serve` on DIR/data (SQLite, or PostgreSQL when DATABASE_URL is set: it must name an empty
database on a server with fsync on), signs up one verified citizen with an API token per worker, and
lets the workers file dossiers over the JSON API without pause: create a draft of procedure 1.005384
(Bắc Kạn) → upload 1–2 random PDFs (1–96 KiB, streamed in chunks) → submit. A submission is
acknowledged only when submit answered 200 with a code; its dossier id, code and each file's SHA-256
are recorded (DIR/state.json, for backup_restore.py). The server is SIGKILLed after a random
0.5–3 s of load, KILLS times, and started again on the same data dir and database; after each
restart the last 20 submissions acknowledged before the kill (the ones most at risk) are read back over
the API. At the end the workers stop, every acknowledged submission is read back with its files, the
server is stopped (SIGTERM) and checks.check_storage looks at the database and the files dir.

The last line: `durability: 20 kills survived, 312 acknowledged submissions, 0 lost, 0 orphans,
0 duplicate codes` (plus half-written dossiers, temp leftovers and server errors when there are any).
Exit status 1 on any lost submission, half-written dossier, orphan or leftover file, duplicate code, or
an error answer of the live server; 2 when the harness itself failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

from checks import Findings, check_storage, verify_over_api
from harness import (AGENCY, PROCEDURE, SWEEP_GRACE_SECONDS, TIMEOUT, Citizen, Database, HarnessError, Server, StoredDoc, Submission,
                     make_citizens, psql_rows, random_pdf, save_state, sha256, stop_on_sigterm)

CHUNK = 32 * 1024


class ServerDown(Exception):
    """The connection broke or was refused: the server is being killed or restarted."""


class Abandon(Exception):
    """The live server answered something unexpected (already recorded as an error): next submission."""


@dataclass
class Shared:
    """What the workers and the conductor share; the lists are guarded by `lock`."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    up: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    generation: int = 0  # bumped before each kill: a request of an older generation may fail silently
    acknowledged: list[Submission] = field(default_factory=list)
    interrupted: dict[str, int] = field(default_factory=dict)  # phase -> submissions a kill cut there
    errors: list[str] = field(default_factory=list)  # error answers of a live server
    cut_uploads: set[str] = field(default_factory=set)  # SHA-256 of files whose upload a kill cut

    def add(self, sub: Submission) -> None:
        with self.lock:
            self.acknowledged.append(sub)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def interrupt(self, phase: str, upload_sha: str | None) -> None:
        with self.lock:
            self.interrupted[phase] = self.interrupted.get(phase, 0) + 1
            if upload_sha:
                self.cut_uploads.add(upload_sha)

    def going_down(self) -> None:
        with self.lock:
            self.generation += 1
        self.up.clear()


class Worker(threading.Thread):
    """Files dossiers for one citizen until told to stop."""

    def __init__(self, number: int, base: str, citizen: Citizen, shared: Shared):
        super().__init__(name=f"worker-{number}", daemon=True)
        self.number, self.base, self.citizen, self.shared = number, base, citizen, shared
        self.session = self.new_session()
        self.seen_generation = shared.generation
        self.rng = random.Random()
        self.serial = 0
        self.uploading: str | None = None  # SHA-256 of the file being uploaded

    def new_session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update(self.citizen.headers())
        return session

    def run(self) -> None:
        while not self.shared.stop.is_set():
            if not self.shared.up.wait(1):
                continue
            phase = "create"
            self.uploading = None
            try:
                for phase in self.file_one():
                    pass
            except ServerDown:
                self.shared.interrupt(phase, self.uploading if phase.startswith("upload") else None)
            except Abandon:
                pass
            except Exception as e:  # noqa: BLE001 - any surprise is a finding, not a crash of the thread
                self.shared.error(f"{self.name} during {phase}: {type(e).__name__}: {e}")
                time.sleep(0.5)

    def file_one(self) -> Iterator[str]:
        """One submission; yields the phase it enters (what was going on when the server died)."""
        draft = self.call("POST", "/api/v1/dossiers", 201, json={
            "agencyCode": AGENCY, "procedureCode": PROCEDURE, "deliveryMethod": "online",
            "requestSummary": f"Đăng ký dự tuyển, bền bỉ {self.number}-{self.serial}",
            "values": {"exam_position": "Chuyên viên", "recruiting_agency": "Sở Nội vụ tỉnh Bắc Kạn"},
        })
        dossier_id = int(draft["id"])
        files = []
        for position in [1, 2][: self.rng.randint(1, 2)]:
            yield f"upload {position}"
            files.append(self.upload(dossier_id, position))
        yield "submit"
        done = self.call("POST", f"/api/v1/dossiers/{dossier_id}/submit", 200)
        code = done.get("code")
        if not code or done.get("status") != 1 or len(done.get("files", [])) != len(files):
            self.shared.error(f"{self.name}: submit of {dossier_id} answered 200 with code {code!r}, "
                              f"status {done.get('status')!r}, {len(done.get('files', []))} files")
            return
        self.shared.add(Submission(dossier_id, code, self.number, files, time.time()))

    def upload(self, dossier_id: int, position: int) -> StoredDoc:
        self.serial += 1
        data = random_pdf(f"{self.number}-{self.serial}", self.rng)
        self.uploading = sha256(data)
        answer = self.call("PUT", f"/api/v1/dossiers/{dossier_id}/documents/{position}/files", 201,
                           data=self.chunks(data), headers={"Content-Type": "application/pdf",
                                                           "X-File-Name": f"tep-{self.number}-{self.serial}.pdf"})
        if answer.get("sha256") != sha256(data) or answer.get("size") != len(data):
            raise AssertionError(f"upload of {len(data)} bytes answered sha256 {answer.get('sha256')}, "
                                 f"size {answer.get('size')}")
        return StoredDoc(position, sha256(data), len(data))

    def chunks(self, data: bytes) -> Iterator[bytes]:
        """A client on a slower line: the body in chunks with short pauses (kills land mid-upload too)."""
        for i in range(0, len(data), CHUNK):
            yield data[i:i + CHUNK]
            time.sleep(self.rng.uniform(0, 0.003))

    def call(self, method: str, path: str, expected: int, **kwargs) -> dict:
        generation = self.shared.generation
        if generation != self.seen_generation:
            # No keep-alive connection to a killed server.
            self.session.close()
            self.session = self.new_session()
            self.seen_generation = generation
        try:
            r = self.session.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
            body = r.json() if r.content else {}
        except (requests.RequestException, ValueError) as e:
            if self.shared.generation == generation and self.shared.up.is_set():
                self.shared.error(f"{self.name}: {method} {path}: {type(e).__name__}: {e}")
                raise Abandon from e
            raise ServerDown from e
        if r.status_code != expected:
            if self.shared.generation == generation and self.shared.up.is_set():
                self.shared.error(f"{self.name}: {method} {path} -> {r.status_code}: {r.text[:300]}")
                raise Abandon
            raise ServerDown
        return body


def check_postgres(url: str) -> None:
    tables = psql_rows(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
    if int(tables[0][0]) != 0:
        raise HarnessError(f"DATABASE_URL must name an empty database ({tables[0][0]} tables found)")
    fsync = psql_rows(url, "SHOW fsync")[0][0]
    if fsync != "on":
        print(f"!! warning: PostgreSQL runs with fsync={fsync}: committed data may not be durable "
              "(start the cluster with fsync on for this test)", flush=True)


def conduct(args: argparse.Namespace) -> int:
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "data"
    if data_dir.exists():
        raise HarnessError(f"{data_dir} exists: the kill loop needs a fresh data dir")
    database_url = args.database_url or None
    if database_url:
        check_postgres(database_url)
    server = Server(args.bin, data_dir, work / "server.log", database_url)
    t0 = time.monotonic()
    server.start()
    kind = "PostgreSQL" if database_url else "SQLite"
    print(f"server {args.bin} on {server.url} ({kind}), data {data_dir}", flush=True)
    try:
        return run_loop(args, server, t0)
    finally:
        server.stop()


def run_loop(args: argparse.Namespace, server: Server, t0: float) -> int:
    citizens = make_citizens(server.url, server.log, args.workers)
    print(f"{len(citizens)} verified citizens with API tokens in {time.monotonic() - t0:.1f} s", flush=True)
    shared = Shared()
    shared.up.set()
    workers = [Worker(i, server.url, c, shared) for i, c in enumerate(citizens)]
    for w in workers:
        w.start()
    findings = Findings()
    previous = 0  # acknowledged before the previous kill
    restart_times = []
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.time_limit
    kills = 0
    for kills in range(1, args.kills + 1):
        time.sleep(rng.uniform(args.min_run, args.max_run))
        shared.going_down()
        server.kill()
        with shared.lock:
            at_kill = len(shared.acknowledged)
        tmp_before = _temp_files(server)
        try:
            restart_times.append(server.start())
        except HarnessError as e:
            shared.stop.set()
            print(f"!! the server did not come back after kill {kills}: {e}", flush=True)
            print(f"durability: {kills - 1} kills survived, the server did not start after kill {kills}")
            return 1
        tmp_after = _temp_files(server)
        shared.up.set()
        # The last submissions acknowledged before the kill: the ones most at risk (just committed).
        with shared.lock:
            recent = shared.acknowledged[max(previous, at_kill - args.verify_last):at_kill]
        findings.merge(verify_over_api(server.url, citizens, recent))
        kept = len(tmp_before & tmp_after)
        print(f"kill {kills}/{args.kills}: {at_kill} acknowledged (+{at_kill - previous}; "
              f"last {len(recent)} read back), "
              f"restart {restart_times[-1]:.1f} s"
              + (f", {kept} temp files survived the start" if kept else ""), flush=True)
        previous = at_kill
        if time.monotonic() > deadline:
            print(f"!! time limit of {args.time_limit:.0f} s reached after {kills} kills", flush=True)
            break
    shared.stop.set()
    for w in workers:
        w.join(60)
        if w.is_alive():
            shared.error(f"{w.name} did not stop within 60 s")
    # One more start with the workers stopped, once the sweep's grace has passed: the start-up sweep removes
    # what the last kill left behind, as it would after any crash.
    server.stop()
    time.sleep(SWEEP_GRACE_SECONDS + 1)
    restart_times.append(server.start())
    subs = list(shared.acknowledged)
    save_state(args.work / "state.json", "postgres" if server.database_url else "sqlite", citizens, subs,
               url=server.url, dataDir=str(server.data_dir))
    print(f"final check of {len(subs)} acknowledged submissions over the API …", flush=True)
    findings.merge(verify_over_api(server.url, citizens, subs))
    server.stop()
    findings.merge(check_storage(Database(server.data_dir, server.database_url), server.files_root, subs))
    return summarize(args, kills, subs, shared, findings, restart_times, time.monotonic() - t0)


def _temp_files(server: Server) -> set[str]:
    tmp = server.files_root / "tmp"
    return {p.name for p in tmp.iterdir()} if tmp.is_dir() else set()


def summarize(args, kills: int, subs: list[Submission], shared: Shared, findings: Findings,
              restart_times: list[float], elapsed: float) -> int:
    for line in findings.report():
        print(line)
    for e in shared.errors[:15]:
        print(f"!! server error answer: {e}")
    interrupted = ", ".join(f"{n} in {k}" for k, n in sorted(shared.interrupted.items())) or "none"
    files = sum(len(s.files) for s in subs)
    print(f"-- {files} files in acknowledged submissions; submissions cut by a kill: {interrupted}")
    if restart_times:
        mean = sum(restart_times) / len(restart_times)
        print(f"-- restart to ready: mean {mean:.1f} s, max {max(restart_times):.1f} s; "
              f"total {elapsed:.0f} s")
    orphans = len(findings.orphans) + len(findings.temp_leftovers)
    kinds = []
    if findings.orphans:
        cut = len(findings.orphan_names & shared.cut_uploads)
        kinds.append(f"{len(findings.orphans)} in files/objects/, {cut} of them from uploads a kill cut")
    if findings.temp_leftovers:
        kinds.append(f"{len(findings.temp_leftovers)} temp files in files/tmp/ that no start removed")
    extra = f" ({'; '.join(kinds)})" if kinds else ""
    if findings.half_written:
        extra += f", {len(findings.half_written)} half-written"
    if shared.errors:
        extra += f", {len(shared.errors)} error answers"
    bad = len(findings.lost) + len(findings.half_written) + orphans + len(findings.duplicate_codes) + len(shared.errors)
    print(f"durability: {kills} kills survived, {len(subs)} acknowledged submissions, {len(findings.lost)} lost, "
          f"{orphans} orphans, {len(findings.duplicate_codes)} duplicate codes{extra}")
    if kills < args.kills:
        print(f"!! only {kills} of {args.kills} kills within the time limit")
        bad += 1
    if not subs:
        print("!! no submission was acknowledged: nothing was tested")
        return 1
    return 1 if bad else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", type=Path, required=True, help="the motcua binary")
    p.add_argument("--work", type=Path, required=True, help="work dir (data/, server.log, state.json)")
    p.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default: SQLite)")
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--min-run", type=float, default=0.5, help="least seconds of load before a kill")
    p.add_argument("--max-run", type=float, default=3.0, help="most seconds of load before a kill")
    p.add_argument("--verify-last", type=int, default=20,
                   help="after each restart, read back the last N submissions acknowledged before the kill")
    p.add_argument("--seed", type=int, default=None, help="seed of the kill moments")
    p.add_argument("--time-limit", type=float, default=1200, help="stop killing after this many seconds")
    args = p.parse_args()
    # SIGTERM (a time limit, scripts/test's trap) unwinds like Ctrl-C: the server is stopped on the way out.
    stop_on_sigterm()  # SIGTERM: KeyboardInterrupt, so the finally blocks stop the server
    try:
        sys.exit(conduct(args))
    except HarnessError as e:
        print(f"durability: harness failed: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
