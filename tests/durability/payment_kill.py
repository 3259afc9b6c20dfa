"""Durability of online payments under SIGKILL: VNPay's IPNs arrive while the server is killed and restarted.

    python tests/durability/payment_kill.py --bin MOTCUA --work DIR [--dossiers 30] [--kills 9]
                                            [--min-gap 0.2] [--max-gap 1.5] [--seed N]

Issue 13: "a SIGKILL between the gateway's IPN and the answer loses nothing and pays nothing twice (the
gateway retries)". Starts `motcua serve` on DIR/payments-data with MOTCUA_VNPAY_FILE giving Cần Thơ's
Sở Nội vụ (000.00.09.H13) a VNPay terminal (SQLite, or PostgreSQL when --database-url is given: a fresh
database `motcua_payments_PID` is created on that server with psql and dropped afterwards). Three
citizens file DOSSIERS dossiers of procedure 2.000596 over the JSON API (draft, its 4 mandatory documents
as small PDFs, submit: status 6, the fee of 100.000 đ is due) and start one online payment each
(POST /api/v1/dossiers/{id}/payments: the attempt's reference).

Then the "gateway" sends each attempt's signed paid IPN (GET /api/v1/payments/vnpay/ipn) as VNPay does:
one thread per delivery, retrying after a short pause on a connection error, a timeout, or any answer
but RspCode 00 (recorded) or 02 (already confirmed); a third of the attempts have their IPN sent 2 or 3
times at once (threads released together). The deliveries are released in batches, one before each
kill, each spread over the time until that kill; the conductor SIGKILLs the server KILLS times (0.2–1.5 s
apart, at a moment when an IPN request is in flight when there is one within a second) and starts it
again on the same data. Once every attempt is confirmed, each IPN is sent once more (a late replay:
02 expected).

At the end the server is stopped and started once more (its start-up sweep removes receipt PDFs a
kill left without their row), and over the API each dossier shows status 1, paid 100000, due 0, one
receipt and its one attempt paid; then, with the server stopped, in the database: every dossier status 1,
its charge paid, exactly one attempt (paid, with the IPN's vnp_TransactionNo), exactly one receipt,
exactly one `pay` event; the agency's receipt numbers for the year are 1..N without gap or repeat (and
the sequence's last value is N); plus checks.check_storage (no half-written dossier, every stored file
complete, no orphan receipt PDF, nothing left in files/tmp/).

Last line: `payments: 9 kills (9 with IPNs in flight), 30 paid, 0 lost, 0 doubled, answers 00×30 02×41`
(then refusals and oddities, when any). "lost": an attempt not paid at the end, or one the gateway got
00/02 for without a paid attempt, receipt and settled dossier; "doubled": a dossier with more than one
receipt, paid attempt or `pay` event, a receipt number used twice, or a 00 answered twice for one
attempt. Exit status 1 on any loss, double or error answer of a live server (an answer other than
200 application/json, or RspCode 01/04/97 to a genuine IPN); 2 when the harness itself failed.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from checks import Findings, check_storage
from harness import (SWEEP_GRACE_SECONDS, TIMEOUT, Citizen, Database, HarnessError, Server, StoredDoc, Submission,
                     make_citizens, psql_exec, psql_rows, save_state, sha256, stop_on_sigterm, with_database)

AGENCY = "000.00.09.H13"  # Sở Nội vụ thành phố Cần Thơ
PROCEDURE = "2.000596"  # fee 100.000 đ charged at submission, result at the desk, 4 mandatory documents
FEE = 100_000
AWAITING_PAYMENT = 6
REGISTERED = 1
TERMINAL = "CANTHO01"
SECRET = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"
VNPAY = {AGENCY: {"paymentURL": "http://127.0.0.1:9/paymentv2/vpcpay.html", "terminalCode": TERMINAL,
                  "hashSecret": SECRET}}
CITIZENS = 3
IPN_TIMEOUT = (2, 10)
FINAL_CODES = {"00", "02"}  # the gateway stops retrying
REFUSALS = {"01", "04", "97"}  # a genuine IPN must never get these


# ---------------------------------------------------------------------------------------------------
# Filing and starting the payments
# ---------------------------------------------------------------------------------------------------


@dataclass
class Attempt:
    dossier_id: int
    code: str
    citizen: int
    reference: str
    transaction_no: str
    files: list[StoredDoc] = field(default_factory=list)
    copies: int = 1  # IPNs sent at once for it
    answers: list[str] = field(default_factory=list)  # RspCodes it got, in order
    confirmed: bool = False  # got 00 or 02

    def submission(self) -> Submission:
        return Submission(self.dossier_id, self.code, self.citizen, self.files)


def small_pdf(serial: str) -> bytes:
    return b"%PDF-1.4\n% payments " + serial.encode() + b"\n" + os.urandom(random.randint(600, 2000)) + b"\ntrailer<<>>\n%%EOF\n"


def expect(r: requests.Response, status: int, what: str) -> dict:
    if r.status_code != status:
        raise HarnessError(f"{what}: {r.request.method} {r.url} -> {r.status_code}: {r.text[:300]}")
    return r.json() if r.content else {}


def file_and_start(base: str, citizen: Citizen, number: int, serial: int, transaction_no: str) -> Attempt:
    """One dossier of 2.000596 filed over the JSON API, submitted (status 6) and its online payment started."""
    s = requests.Session()
    s.headers.update(citizen.headers())
    draft = expect(s.post(f"{base}/api/v1/dossiers", timeout=TIMEOUT, json={
        "agencyCode": AGENCY, "procedureCode": PROCEDURE, "deliveryMethod": "desk",
        "requestSummary": f"Cử công chức dự thi nâng ngạch, bền bỉ {number}-{serial}",
        "values": {"district": "Quận Ninh Kiều", "exam_grade": "Chuyên viên", "candidate_count": str(1 + serial % 7)},
    }), 201, "draft")
    dossier_id = int(draft["id"])
    files = []
    for position in (1, 2, 3, 4):
        data = small_pdf(f"{number}-{serial}-{position}")
        up = expect(s.put(f"{base}/api/v1/dossiers/{dossier_id}/documents/{position}/files", data=data, timeout=TIMEOUT,
                          headers={"Content-Type": "application/pdf", "X-File-Name": f"giay-to-{position}.pdf"}),
                    201, "upload")
        if up.get("sha256") != sha256(data):
            raise HarnessError(f"upload answered sha256 {up.get('sha256')}, expected {sha256(data)}")
        files.append(StoredDoc(position, sha256(data), len(data)))
    done = expect(s.post(f"{base}/api/v1/dossiers/{dossier_id}/submit", timeout=TIMEOUT), 200, "submit")
    if done.get("status") != AWAITING_PAYMENT or not done.get("code"):
        raise HarnessError(f"submit of {dossier_id}: status {done.get('status')!r} (expected {AWAITING_PAYMENT}), "
                           f"code {done.get('code')!r}")
    pay = expect(s.post(f"{base}/api/v1/dossiers/{dossier_id}/payments", timeout=TIMEOUT), 201, "start payment")
    if pay.get("amount") != FEE or not pay.get("reference"):
        raise HarnessError(f"payment of {dossier_id} started with {pay}")
    return Attempt(dossier_id, done["code"], number, pay["reference"], transaction_no, files)


def file_all(base: str, citizens: list[Citizen], count: int) -> list[Attempt]:
    """`count` dossiers, one thread per citizen."""
    attempts: list[Attempt] = []
    failures: list[str] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        try:
            for serial in range(number, count, len(citizens)):
                a = file_and_start(base, citizens[number], number, serial, str(14_000_000 + serial))
                with lock:
                    attempts.append(a)
        except (HarnessError, requests.RequestException, ValueError) as e:
            with lock:
                failures.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(len(citizens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    if failures or len(attempts) != count:
        raise HarnessError(f"filing failed ({len(attempts)} of {count} filed): {'; '.join(failures[:3])}")
    return sorted(attempts, key=lambda a: a.dossier_id)


# ---------------------------------------------------------------------------------------------------
# The gateway
# ---------------------------------------------------------------------------------------------------


def signed_ipn(attempt: Attempt, pay_date: datetime) -> str:
    """The paid IPN VNPay sends for the attempt: the vnp_ parameters sorted, form-encoded, HMAC-SHA512 hex
    with the terminal's secret appended as vnp_SecureHash (vnp_SecureHashType is not signed)."""
    params = {
        "vnp_Amount": str(FEE * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{attempt.transaction_no}",
        "vnp_CardType": "ATM", "vnp_OrderInfo": f"Nop phi, le phi ho so {attempt.code}",
        "vnp_PayDate": pay_date.strftime("%Y%m%d%H%M%S"), "vnp_ResponseCode": "00", "vnp_TmnCode": TERMINAL,
        "vnp_TransactionNo": attempt.transaction_no, "vnp_TransactionStatus": "00", "vnp_TxnRef": attempt.reference,
    }
    signed = urllib.parse.urlencode(sorted(params.items()))
    digest = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha512).hexdigest()
    return signed + "&" + urllib.parse.urlencode([("vnp_SecureHashType", "HmacSHA512"), ("vnp_SecureHash", digest)])


@dataclass
class Gateway:
    """The simulated VNPay: deliveries (one thread each) and what they got; guarded by `lock`."""
    base: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    up: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    generation: int = 0  # bumped before each kill
    in_flight: int = 0
    answers: Counter = field(default_factory=Counter)  # RspCode -> count
    cut: int = 0  # requests a kill cut (or that reached a server being killed)
    refused: int = 0  # connections refused while the server was down or starting
    starting: int = 0  # other answers than the protocol's from a server not yet ready (retried)
    errors: list[str] = field(default_factory=list)  # error answers of a live server
    threads: list[threading.Thread] = field(default_factory=list)

    def going_down(self) -> None:
        with self.lock:
            self.generation += 1
        self.up.clear()

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def release(self, attempt: Attempt, delay: float, copies: int) -> None:
        """Sends the attempt's IPN `copies` times at once after `delay` seconds, each copy retrying on its own."""
        barrier = threading.Barrier(copies) if copies > 1 else None
        query = signed_ipn(attempt, datetime.now(timezone(timedelta(hours=7))))  # the copies are byte for byte the same
        for copy in range(copies):
            t = threading.Thread(target=self.deliver, args=(attempt, query, delay, barrier), daemon=True,
                                 name=f"ipn-{attempt.dossier_id}-{copy}")
            self.threads.append(t)
            t.start()

    def deliver(self, attempt: Attempt, query: str, delay: float, barrier: threading.Barrier | None) -> None:
        if self.stop.wait(delay):
            return
        if barrier is not None:
            try:
                barrier.wait(5)
            except threading.BrokenBarrierError:
                pass
        rng = random.Random()
        while not self.stop.is_set():
            code = self.send(query, attempt)
            if code in FINAL_CODES:
                return
            time.sleep(rng.uniform(0.05, 0.3))  # VNPay retries later; compressed here

    def send(self, query: str, attempt: Attempt) -> str | None:
        """One IPN request; its RspCode, or None when there was no protocol answer."""
        with self.lock:
            generation = self.generation
            was_up = self.up.is_set()
            self.in_flight += 1
        try:
            r = requests.get(f"{self.base}/api/v1/payments/vnpay/ipn?{query}", timeout=IPN_TIMEOUT,
                             headers={"Connection": "close"})
        except requests.ConnectionError as e:
            with self.lock:
                self.in_flight -= 1
                live = self.generation == generation and self.up.is_set() and was_up
                if not live:
                    if "refused" in str(e).lower():
                        self.refused += 1
                    else:
                        self.cut += 1
            if live:
                self.error(f"IPN of {attempt.reference}: {type(e).__name__}: {e}")
            return None
        except requests.RequestException as e:  # a timeout
            with self.lock:
                self.in_flight -= 1
                live = self.generation == generation and self.up.is_set()
                if not live:
                    self.cut += 1
            if live:
                self.error(f"IPN of {attempt.reference}: {type(e).__name__}: {e}")
            return None
        with self.lock:
            self.in_flight -= 1
        content_type = r.headers.get("Content-Type", "")
        try:
            code = r.json().get("RspCode") if r.status_code == 200 else None
        except ValueError:
            code = None
        if r.status_code != 200 or not content_type.startswith("application/json") or not isinstance(code, str):
            with self.lock:
                live = self.generation == generation and was_up
                if not live:
                    self.starting += 1
            if live:
                self.error(f"IPN of {attempt.reference} -> {r.status_code} {content_type}: {r.text[:200]}")
            return None
        with self.lock:
            self.answers[code] += 1
            attempt.answers.append(code)
            if code in FINAL_CODES:
                attempt.confirmed = True
        if code in REFUSALS:
            self.error(f"IPN of {attempt.reference} (dossier {attempt.dossier_id}) answered RspCode {code}: {r.text[:200]}")
        return code

    def wait_in_flight(self, seconds: float) -> bool:
        """Waits up to `seconds` for an IPN request to be in flight."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.in_flight > 0:
                return True
            time.sleep(0.001)
        return self.in_flight > 0


# ---------------------------------------------------------------------------------------------------
# The conductor
# ---------------------------------------------------------------------------------------------------


def check_postgres_server(url: str) -> None:
    fsync = psql_rows(url, "SHOW fsync")[0][0]
    if fsync != "on":
        print(f"!! warning: PostgreSQL runs with fsync={fsync}: committed data may not be durable "
              "(start the cluster with fsync on for this test)", flush=True)


def conduct(args: argparse.Namespace) -> int:
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "payments-data"
    if data_dir.exists():
        raise HarnessError(f"{data_dir} exists: the payment loop needs a fresh data dir")
    vnpay_file = work / "vnpay.json"
    vnpay_file.write_text(json.dumps(VNPAY))
    database_url = None
    fresh_db = None
    if args.database_url:
        check_postgres_server(args.database_url)
        fresh_db = f"motcua_payments_{os.getpid()}"
        psql_exec(args.database_url, f'CREATE DATABASE "{fresh_db}"')
        database_url = with_database(args.database_url, fresh_db)
    server = Server(args.bin, data_dir, work / "payments-server.log", database_url,
                    extra_env={"MOTCUA_VNPAY_FILE": str(vnpay_file)})
    try:
        t0 = time.monotonic()
        server.start()
        kind = "PostgreSQL" if database_url else "SQLite"
        print(f"server {args.bin} on {server.url} ({kind}{f', database {fresh_db}' if fresh_db else ''}), "
              f"data {data_dir}", flush=True)
        try:
            return run(args, server, t0)
        finally:
            server.stop()
    finally:
        if fresh_db and not os.environ.get("DURABILITY_KEEP") == "1":
            try:
                psql_exec(args.database_url, f'DROP DATABASE IF EXISTS "{fresh_db}"')
            except HarnessError as e:
                print(f"!! could not drop {fresh_db}: {e}", flush=True)


def run(args: argparse.Namespace, server: Server, t0: float) -> int:
    rng = random.Random(args.seed)
    citizens = make_citizens(server.url, server.log, CITIZENS)
    attempts = file_all(server.url, citizens, args.dossiers)
    for a in attempts:
        if rng.random() < 1 / 3:
            a.copies = rng.choice((2, 3))
    print(f"{len(attempts)} dossiers of {PROCEDURE} filed (status {AWAITING_PAYMENT}) with one VNPay attempt each "
          f"in {time.monotonic() - t0:.1f} s; {sum(a.copies > 1 for a in attempts)} of them get 2–3 concurrent IPNs",
          flush=True)

    gateway = Gateway(server.url)
    gateway.up.set()
    order = list(attempts)
    rng.shuffle(order)
    batches = [order[i::args.kills] for i in range(args.kills)]
    restarts: list[float] = []
    with_flight = 0
    deadline = time.monotonic() + args.time_limit
    kills = 0
    for kills, batch in enumerate(batches, start=1):
        gap = rng.uniform(args.min_gap, args.max_gap)
        # Half the batch spread over the gap, half sent when it ends: the kill lands among those.
        for i, a in enumerate(batch):
            gateway.release(a, rng.uniform(0, gap) if i % 2 else gap, a.copies)
        time.sleep(gap)
        if gateway.wait_in_flight(1.0):
            time.sleep(rng.uniform(0, args.kill_jitter))  # connecting, being handled, or being answered
        with gateway.lock:
            in_flight = gateway.in_flight
        with_flight += in_flight > 0
        gateway.going_down()
        server.kill()
        try:
            restarts.append(server.start())
        except HarnessError as e:
            gateway.stop.set()
            print(f"!! the server did not come back after kill {kills}: {e}", flush=True)
            print(f"payments: {kills - 1} kills survived, the server did not start after kill {kills}")
            return 1
        gateway.up.set()
        with gateway.lock:
            confirmed = sum(a.confirmed for a in attempts)
        print(f"kill {kills}/{args.kills} after {gap:.2f} s, {in_flight} IPN requests in flight: "
              f"{confirmed}/{len(attempts)} attempts confirmed, restart {restarts[-1]:.1f} s", flush=True)
        if time.monotonic() > deadline:
            print(f"!! time limit of {args.time_limit:.0f} s reached after {kills} kills", flush=True)
            break

    # The retries finish on the live server.
    settle_by = time.monotonic() + args.settle
    while time.monotonic() < settle_by and not all(a.confirmed for a in attempts):
        time.sleep(0.1)
    gateway.stop.set()
    for t in gateway.threads:
        t.join(15)
    unconfirmed = [a for a in attempts if not a.confirmed]
    # VNPay sends an IPN again now and then: a late replay of each, on a server that was restarted since.
    gateway.stop.clear()
    late = Counter()
    for a in attempts:
        late[gateway.send(signed_ipn(a, datetime.now(timezone(timedelta(hours=7)))), a) or "none"] += 1
    print(f"late replay of every IPN: {', '.join(f'{k}×{v}' for k, v in sorted(late.items()))}", flush=True)

    # The start-up sweep removes receipt PDFs whose transaction a kill cut (once older than the grace).
    server.stop()
    time.sleep(SWEEP_GRACE_SECONDS + 1)
    restarts.append(server.start())
    findings = Findings()
    lost: dict[int, list[str]] = {}
    doubled: dict[int, list[str]] = {}
    for a in attempts:
        if a.answers.count("00") > 1:
            doubled.setdefault(a.dossier_id, []).append(f"RspCode 00 answered {a.answers.count('00')} times")
    for a in unconfirmed:
        lost.setdefault(a.dossier_id, []).append(f"never confirmed by 00/02 (answers {a.answers[-5:]})")
    check_api(server.url, citizens, attempts, lost, doubled)
    server.stop()
    db = Database(server.data_dir, server.database_url)
    check_database(db, attempts, lost, doubled)
    findings.merge(check_storage(db, server.files_root, [a.submission() for a in attempts]))
    save_state(args.work / "payments-state.json", db.kind, citizens, [a.submission() for a in attempts],
               attempts=[asdict(a) for a in attempts])
    return summarize(args, kills, with_flight, attempts, gateway, lost, doubled, findings, restarts,
                     time.monotonic() - t0)


def check_api(base: str, citizens: list[Citizen], attempts: list[Attempt], lost: dict, doubled: dict) -> None:
    s = requests.Session()
    for a in attempts:
        headers = citizens[a.citizen].headers()
        try:
            d = s.get(f"{base}/api/v1/dossiers/{a.dossier_id}", headers=headers, timeout=TIMEOUT)
            p = s.get(f"{base}/api/v1/dossiers/{a.dossier_id}/payments", headers=headers, timeout=TIMEOUT)
        except requests.RequestException as e:
            lost.setdefault(a.dossier_id, []).append(f"API: {e}")
            continue
        if d.status_code != 200 or p.status_code != 200:
            lost.setdefault(a.dossier_id, []).append(f"API: dossier {d.status_code}, payments {p.status_code}")
            continue
        status, pay = d.json().get("status"), p.json()
        if status != REGISTERED:
            lost.setdefault(a.dossier_id, []).append(f"API: status {status}")
        if pay.get("paid") != FEE or pay.get("due") not in (0, None):
            where = doubled if (pay.get("paid") or 0) > FEE else lost
            where.setdefault(a.dossier_id, []).append(f"API: paid {pay.get('paid')}, due {pay.get('due')}")
        receipts = pay.get("receipts", [])
        if len(receipts) != 1:
            (doubled if len(receipts) > 1 else lost).setdefault(a.dossier_id, []).append(f"API: {len(receipts)} receipts")
        paid = [t for t in pay.get("attempts", []) if t.get("state") == "paid"]
        if len(paid) != 1 or paid[0].get("reference") != a.reference:
            lost.setdefault(a.dossier_id, []).append(f"API: paid attempts {[t.get('reference') for t in paid]}")


def check_database(db: Database, attempts: list[Attempt], lost: dict, doubled: dict) -> None:
    ids = ", ".join(str(a.dossier_id) for a in attempts)
    status = {int(r[0]): int(r[1]) for r in db.rows(f"SELECT id, status FROM dossiers WHERE id IN ({ids})")}
    charges: dict[int, list] = {}
    for did, paid_at, cancelled_at in db.rows(
            f"SELECT dossier_id, paid_at, cancelled_at FROM dossier_charges WHERE dossier_id IN ({ids})"):
        charges.setdefault(int(did), []).append((paid_at, cancelled_at))
    tries: dict[int, list] = {}
    for did, reference, state, transaction in db.rows(
            f"SELECT dossier_id, reference, state, gateway_transaction FROM payment_attempts WHERE dossier_id IN ({ids})"):
        tries.setdefault(int(did), []).append((reference, state, transaction))
    receipts: dict[int, list] = {}
    for did, agency, year, number in db.rows(
            f"SELECT dossier_id, agency_id, year, number FROM payment_receipts WHERE dossier_id IN ({ids})"):
        receipts.setdefault(int(did), []).append((int(agency), int(year), int(number)))
    pays = {int(r[0]): int(r[1]) for r in db.rows(
        f"SELECT dossier_id, COUNT(*) FROM dossier_events WHERE action = 'pay' AND dossier_id IN ({ids}) GROUP BY dossier_id")}
    for a in attempts:
        did = a.dossier_id

        def lose(what: str) -> None:
            lost.setdefault(did, []).append(f"DB: {what}")

        def double(what: str) -> None:
            doubled.setdefault(did, []).append(f"DB: {what}")

        if status.get(did) != REGISTERED:
            lose(f"status {status.get(did)}")
        ch = charges.get(did, [])
        if len(ch) != 1 or ch[0][0] is None or ch[0][1] is not None:
            lose(f"charges (paid_at, cancelled_at) {ch}")
        tr = tries.get(did, [])
        paid = [t for t in tr if t[1] == "paid"]
        if len(paid) > 1:
            double(f"{len(paid)} paid attempts")
        elif len(tr) != 1 or not paid or paid[0][0] != a.reference or str(paid[0][2]) != a.transaction_no:
            lose(f"attempts (reference, state, transaction) {tr}")
        rc = receipts.get(did, [])
        if len(rc) != 1:
            (double if len(rc) > 1 else lose)(f"{len(rc)} receipts")
        n = pays.get(did, 0)
        if n != 1:
            (double if n > 1 else lose)(f"{n} 'pay' events")
    # The agency's numbering for the year: 1..N, each once.
    by_year: dict[tuple[int, int], list[int]] = {}
    for rows in receipts.values():
        for agency, year, number in rows:
            by_year.setdefault((agency, year), []).append(number)
    for (agency, year), numbers in by_year.items():
        # Key 0: the numbering, not one dossier (a repeat counts as doubled, a gap as lost).
        repeated = sorted(k for k, v in Counter(numbers).items() if v > 1)
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if repeated:
            doubled.setdefault(0, []).append(f"DB: receipt numbers {repeated} of agency {agency}, {year} used twice")
        if missing or max(numbers) != len(numbers):
            lost.setdefault(0, []).append(f"DB: receipt numbers of agency {agency}, {year}: {missing} missing, "
                                          f"highest {max(numbers)} for {len(numbers)} receipts")
        last = db.rows(f"SELECT last_value FROM payment_receipt_sequences WHERE agency_id = {agency} AND year = {year}")
        if not last or int(last[0][0]) != len(numbers):
            lost.setdefault(0, []).append(f"DB: receipt sequence of agency {agency}, {year} at {last}, "
                                          f"{len(numbers)} receipts")


def summarize(args, kills: int, with_flight: int, attempts: list[Attempt], gateway: Gateway, lost: dict, doubled: dict,
              findings: Findings, restarts: list[float], elapsed: float) -> int:
    for title, items in (("LOST", lost), ("DOUBLED", doubled)):
        if items:
            print(f"!! {title}: {len(items)}")
            for did, what in sorted(items.items())[:15]:
                print(f"   dossier {did}: {'; '.join(what)}" if did else f"   {'; '.join(what)}")
    for line in findings.report():
        print(line)
    for e in gateway.errors[:15]:
        print(f"!! error answer of the live server: {e}")
    # Recorded by a request whose answer a kill cut: the retries only ever heard 02.
    committed_unanswered = sum(a.confirmed and "00" not in a.answers for a in attempts)
    if restarts:
        print(f"-- IPN requests cut by a kill: {gateway.cut} ({committed_unanswered} attempts recorded by a request whose "
              f"answer the kill cut: their retries got 02), refused while the server was down: {gateway.refused}"
              + (f", {gateway.starting} answers of a server not yet ready" if gateway.starting else "") + "; "
              f"restart to ready: mean {sum(restarts) / len(restarts):.1f} s, max {max(restarts):.1f} s; "
              f"total {elapsed:.0f} s")
    numbering = len(lost.pop(0, [])) + len(doubled.pop(0, []))  # receipt numbering faults (printed above)
    paid = len(attempts) - len(lost)
    answers = " ".join(f"{k}×{v}" for k, v in sorted(gateway.answers.items()))
    storage = len(findings.lost) + len(findings.half_written) + len(findings.orphans) + len(findings.temp_leftovers) \
        + len(findings.duplicate_codes)
    extra = ""
    if numbering:
        extra += f", {numbering} receipt numbering faults"
    if storage:
        extra += f", {storage} storage findings"
    if gateway.errors:
        extra += f", {len(gateway.errors)} error answers"
    print(f"payments: {kills} kills ({with_flight} with IPNs in flight), {paid} paid, {len(lost)} lost, "
          f"{len(doubled)} doubled, answers {answers or 'none'}{extra}")
    bad = len(lost) + len(doubled) + numbering + storage + len(gateway.errors)
    if kills < args.kills:
        print(f"!! only {kills} of {args.kills} kills within the time limit")
        bad += 1
    return 1 if bad else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", type=Path, required=True, help="the motcua binary")
    p.add_argument("--work", type=Path, required=True, help="work dir (payments-data/, payments-server.log, …)")
    p.add_argument("--database-url", default="",
                   help="PostgreSQL URL of a database on the server where a fresh one is created (default: SQLite)")
    p.add_argument("--dossiers", type=int, default=30)
    p.add_argument("--kills", type=int, default=9)
    p.add_argument("--min-gap", type=float, default=0.2, help="least seconds between a restart and the next kill")
    p.add_argument("--max-gap", type=float, default=1.5, help="most seconds between a restart and the next kill")
    p.add_argument("--kill-jitter", type=float, default=0.04,
                   help="most seconds between an IPN request going out and the kill that follows it")
    p.add_argument("--settle", type=float, default=30, help="seconds the retries get after the last kill")
    p.add_argument("--seed", type=int, default=None, help="seed of the kill moments and the duplicates")
    p.add_argument("--time-limit", type=float, default=120, help="stop killing after this many seconds")
    args = p.parse_args()
    stop_on_sigterm()  # SIGTERM: KeyboardInterrupt, so the finally blocks stop the server
    try:
        sys.exit(conduct(args))
    except HarnessError as e:
        print(f"payments: harness failed: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
