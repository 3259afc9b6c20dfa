"""Set-up and checks of bench/issue13.sh (payments: the VNPay IPN and the bank statement import), standard library only.

    python3 bench/issue13_setup.py template --base URL --log SERVER_LOG --out TEMPLATE.json
    python3 bench/issue13_setup.py seed (--data-dir D | --database-url URL) --template TEMPLATE.json \
        --ipn N --warmup W --statement S --work DIR --base URL
    python3 bench/issue13_setup.py desk --base URL --email E --password P      (prints "COOKIE<TAB>CSRF")
    python3 bench/issue13_setup.py replays (--data-dir D | --database-url URL) --work DIR   (prints how many)
    python3 bench/issue13_setup.py check (--data-dir D | --database-url URL) --work DIR

template (server running, with MOTCUA_VNPAY_FILE): signs one citizen up over the forms (bench/mixed_setup.py), files
one dossier of Cần Thơ's procedure 2.000596 through the JSON API (draft, a small PDF per mandatory document, submit),
which the portal itself charges 100.000 đ and leaves in status 6 (awaiting payment), and starts an online payment
(POST /api/v1/dossiers/{id}/payments → a pending VNPay attempt). That dossier, as the portal wrote it, is the template.

seed (server stopped): clones the template dossier in the database, with its submission event, its attachments (the
same stored files) and an open charge (100 000 đ, source 'procedure', 'Phí dự thi nâng ngạch'):
- W + N dossiers with a pending VNPay attempt each (a unique reference, as PaymentStore.startAttempt makes it):
  the IPN's warm-up (W) and its measured first-time notifications (N);
- S dossiers with the open charge only (the payer transfers money; no online attempt): the statement's.
Each clone gets a real code `000.00.09.H13-YYMMDD-NNNN` (at most 5 000 a day, on the days before today, so that
no code of today's submissions is taken; the 4-digit number is what the statement reader's code pattern expects).
Rows are cloned with INSERT … SELECT from a key table, so the same SQL serves SQLite and PostgreSQL. Then writes
into DIR:
- ipn-warmup.txt, ipn-first.txt: one signed IPN path+query a line (vnp_* as VNPay sends them, HMAC-SHA512 of the
  sorted, form-encoded parameters with the agency's secret; vnp_TransactionNo unique);
- statement.csv: S lines at most (BENCH: 90 % matching, the rest wrong amount, unknown code, no code), header
  `Số bút toán,Ngày giao dịch,Số tiền,Nội dung`, notes written as banking apps write them;
- seed.json: counts, timings, what the statement should give.

replays: writes DIR/ipn-replay.txt, the IPN lines whose attempt is paid (already recorded notifications).

desk: signs the agency's receptionist in through the login form; prints the Cookie header and the CSRF token.

check: counts what the database holds after the runs (receipts by method, dossiers of each set by status, pay
events, attempts by state), as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mixed_setup import Browser, SetupError, csrf_of, filing_for, make_citizens, sign_in, small_pdf  # noqa: E402

AGENCY = "000.00.09.H13"
PROCEDURE = "2.000596"
TERMINAL = "CANTHO01"
SECRET = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"
FEE = 100_000
REASON = "Phí dự thi nâng ngạch"
VN = dt.timezone(dt.timedelta(hours=7))
PER_DAY = 5_000
KEYS = "bench13_keys"


def fail(message: str) -> None:
    print(f"issue13_setup.py: {message}", file=sys.stderr)
    sys.exit(1)


# --- The template, through the portal --------------------------------------------------------------

def template(args: argparse.Namespace) -> None:
    citizen = make_citizens(args.base, [Path(args.log)], 1)[0]
    filing = filing_for(args.base, AGENCY, PROCEDURE)
    draft = json.loads(filing.draft)
    draft["deliveryMethod"] = "desk"  # the procedure returns its result at the desk only
    draft["requestSummary"] = "Đăng ký dự thi nâng ngạch (đo tải thanh toán)."
    api = Browser(args.base)
    auth = {"Authorization": f"Bearer {citizen.token}"}
    created = api.expect(201, "POST", "/api/v1/dossiers", body=json.dumps(draft, ensure_ascii=False).encode(),
                         headers={**auth, "Content-Type": "application/json"})
    dossier_id = json.loads(created.body)["id"]
    for position in filing.positions:
        api.expect(201, "PUT", f"/api/v1/dossiers/{dossier_id}/documents/{position}/files", body=small_pdf(f"mau-{position}"),
                   headers={**auth, "Content-Type": "application/pdf", "X-File-Name": "giay-to.pdf"})
    submitted = json.loads(api.expect(200, "POST", f"/api/v1/dossiers/{dossier_id}/submit", headers=auth).body)
    if submitted.get("status") != 6 or not submitted.get("code"):
        fail(f"the {PROCEDURE} dossier was submitted with status {submitted.get('status')}, expected 6 (awaiting payment)")
    payment = json.loads(api.expect(201, "POST", f"/api/v1/dossiers/{dossier_id}/payments", headers=auth).body)
    if payment.get("amount") != FEE or "vnp_TxnRef=" not in payment.get("paymentUrl", ""):
        fail(f"POST /api/v1/dossiers/{dossier_id}/payments answered {payment}")
    Path(args.out).write_text(json.dumps({"dossierId": dossier_id, "code": submitted["code"], "reference": payment["reference"],
                                          "citizen": citizen.email, "token": citizen.token}, ensure_ascii=False, indent=1))
    print(f"template dossier {dossier_id} ({submitted['code']}): status 6, charge {FEE} đ, attempt {payment['reference']}")


# --- Databases -------------------------------------------------------------------------------------

class SQLite:
    def __init__(self, path: Path) -> None:
        if not path.exists():
            fail(f"no {path}")
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout = 5000")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.db.execute(sql).fetchall()

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.db.execute(f"PRAGMA table_info({table})")]

    def load_keys(self, rows: list[tuple[Any, ...]]) -> None:
        self.db.execute(f"DROP TABLE IF EXISTS {KEYS}")
        self.db.execute(f"CREATE TABLE {KEYS} (n INTEGER PRIMARY KEY, dossier_id INTEGER NOT NULL, code TEXT NOT NULL, "
                        "charge_id INTEGER NOT NULL, attempt_id INTEGER, reference TEXT, at INTEGER NOT NULL)")
        self.db.execute("BEGIN")
        self.db.executemany(f"INSERT INTO {KEYS} VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.execute("COMMIT")

    def run(self, statements: Sequence[str]) -> None:
        self.db.execute("BEGIN")
        for sql in statements:
            self.db.execute(sql)
        self.db.execute("COMMIT")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("ANALYZE")


class Postgres:
    def __init__(self, url: str) -> None:
        self.url = url

    def psql(self, *args: str, data: bytes | None = None) -> str:
        return subprocess.run(["psql", self.url, "-X", "-q", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", *args],
                              input=data, check=True, capture_output=True,
                              env={**os.environ, "PGCLIENTENCODING": "UTF8"}).stdout.decode()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(line.split("\x1f")) for line in self.psql("-c", sql).splitlines()]

    def columns(self, table: str) -> list[str]:
        return [r[0] for r in self.rows(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' "
                                        "ORDER BY ordinal_position")]

    def load_keys(self, rows: list[tuple[Any, ...]]) -> None:
        text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows)
        self.psql("-c", f"DROP TABLE IF EXISTS {KEYS}",
                  "-c", f"CREATE TABLE {KEYS} (n INTEGER PRIMARY KEY, dossier_id BIGINT NOT NULL, code TEXT NOT NULL, "
                        "charge_id BIGINT NOT NULL, attempt_id BIGINT, reference TEXT, at BIGINT NOT NULL)",
                  "-c", f"COPY {KEYS} FROM STDIN", data=text.encode())

    def run(self, statements: Sequence[str]) -> None:
        args = ["-c", "BEGIN"]
        for sql in statements:
            args += ["-c", sql]
        args += ["-c", "COMMIT"]
        for table in ("dossiers", "dossier_events", "dossier_attachments", "dossier_charges", "payment_attempts"):
            args += ["-c", f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"]
        args += ["-c", "VACUUM ANALYZE"]
        self.psql(*args)


def open_db(args: argparse.Namespace) -> SQLite | Postgres:
    return Postgres(args.database_url) if args.database_url else SQLite(Path(args.data_dir) / "motcua.sqlite")


# --- Seeding ---------------------------------------------------------------------------------------

def day_code(day: dt.date) -> str:
    return day.strftime("%y%m%d")


def vnpay_query(reference: str, code: str, transaction: int, paid_at: dt.datetime) -> str:
    """The query of VNPay's IPN for a successful payment, signed as VNPay signs it."""
    params = {
        "vnp_Amount": str(FEE * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{transaction}", "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Nop phi, le phi ho so {code}", "vnp_PayDate": paid_at.strftime("%Y%m%d%H%M%S"),
        "vnp_ResponseCode": "00", "vnp_TmnCode": TERMINAL, "vnp_TransactionNo": str(transaction),
        "vnp_TransactionStatus": "00", "vnp_TxnRef": reference,
    }
    signed = urllib.parse.urlencode(sorted(params.items()))
    digest = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha512).hexdigest()
    return signed + "&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=" + digest


def compact_note(code: str, rng: random.Random) -> str:
    """A transfer note as banking apps keep it: punctuation dropped or changed, other words around the code."""
    plain = code.replace(".", "").replace("-", "")
    return rng.choice([
        f"{code} NOP PHI DU THI NANG NGACH",
        f"MBVCB.{rng.randint(1000000, 9999999)}.{plain}.CT tu 0071000{rng.randint(100000, 999999)} NGUYEN VAN A",
        f"NOP PHI HO SO {code.replace('.', ' ').replace('-', ' ')}",
        f"IBFT {plain.lower()} phi thi nang ngach",
        f"Nộp phí hồ sơ {code}",
    ])


def seed(args: argparse.Namespace) -> None:
    started = time.monotonic()
    db = open_db(args)
    info = json.loads(Path(args.template).read_text())
    template_id = int(info["dossierId"])
    found = db.rows(f"SELECT status, code FROM dossiers WHERE id = {template_id}")
    if not found or int(found[0][0]) != 6:
        fail(f"template dossier {template_id} is missing or not in status 6: {found}")
    if db.rows(f"SELECT count(*) FROM dossier_charges WHERE dossier_id = {template_id} AND paid_at IS NULL")[0][0] in (0, "0"):
        fail(f"template dossier {template_id} has no open charge")
    next_dossier = int(db.rows("SELECT coalesce(max(id), 0) FROM dossiers")[0][0]) + 1
    next_charge = int(db.rows("SELECT coalesce(max(id), 0) FROM dossier_charges")[0][0]) + 1
    next_attempt = int(db.rows("SELECT coalesce(max(id), 0) FROM payment_attempts")[0][0]) + 1
    now = int(time.time() * 1000)
    today = dt.datetime.now(VN).date()
    online = args.warmup + args.ipn
    total = online + args.statement
    keys: list[tuple[Any, ...]] = []
    codes: list[str] = []
    references: list[str] = []
    for n in range(total):
        day = today - dt.timedelta(days=1 + n // PER_DAY)
        code = f"{AGENCY}-{day_code(day)}-{n % PER_DAY + 1:04d}"
        dossier_id = next_dossier + n
        # Submitted a few hours before the run, each a second after the last.
        at = now - (total - n) * 1000 - 3_600_000
        if n < online:
            # As PaymentStore.startAttempt makes it: dossier id, T, the time, R, four random digits.
            reference = f"{dossier_id}T{now - (online - n) * 10}R{1000 + n % 9000}"
            keys.append((n, dossier_id, code, next_charge + n, next_attempt + n, reference, at))
        else:
            reference = ""
            keys.append((n, dossier_id, code, next_charge + n, None, None, at))
        codes.append(code)
        references.append(reference)
    db.load_keys(keys)

    dossier_cols = [c for c in db.columns("dossiers") if c not in ("id", "code", "created_at", "updated_at", "submitted_at")]
    attachment_cols = [c for c in db.columns("dossier_attachments") if c not in ("id", "dossier_id", "created_at")]
    d_list = ", ".join(dossier_cols)
    a_list = ", ".join(attachment_cols)
    statements = [
        f"""INSERT INTO dossiers (id, code, created_at, updated_at, submitted_at, {d_list})
            SELECT k.dossier_id, k.code, k.at - 600000, k.at, k.at, {", ".join("d." + c for c in dossier_cols)}
            FROM dossiers d CROSS JOIN {KEYS} k WHERE d.id = {template_id}""",
        f"""INSERT INTO dossier_events (dossier_id, at, actor_id, action, from_status, to_status, note)
            SELECT k.dossier_id, k.at, e.actor_id, e.action, e.from_status, e.to_status, e.note
            FROM dossier_events e CROSS JOIN {KEYS} k WHERE e.dossier_id = {template_id}""",
        f"""INSERT INTO dossier_attachments (dossier_id, created_at, {a_list})
            SELECT k.dossier_id, k.at - 300000, {", ".join("a." + c for c in attachment_cols)}
            FROM dossier_attachments a CROSS JOIN {KEYS} k WHERE a.dossier_id = {template_id}""",
        f"""INSERT INTO dossier_charges (id, dossier_id, amount, reason, source, requested_by, created_at)
            SELECT k.charge_id, k.dossier_id, {FEE}, '{REASON}', 'procedure', NULL, k.at FROM {KEYS} k""",
        f"""INSERT INTO payment_attempts (id, reference, charge_id, dossier_id, method, amount, state, created_at, expires_at,
                payer_ip, note)
            SELECT k.attempt_id, k.reference, k.charge_id, k.dossier_id, 'vnpay', {FEE}, 'pending', {now}, {now + 15 * 60 * 1000},
                '127.0.0.1', '' FROM {KEYS} k WHERE k.attempt_id IS NOT NULL""",
        f"DROP TABLE {KEYS}",
    ]
    db.run(statements)
    seeded = time.monotonic() - started

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    paid_at = dt.datetime.now(VN)
    prefix = "/api/v1/payments/vnpay/ipn?"
    for name, lo, hi in (("ipn-warmup.txt", 0, args.warmup), ("ipn-first.txt", args.warmup, online)):
        with open(work / name, "w") as out:
            for n in range(lo, hi):
                out.write(prefix + vnpay_query(references[n], codes[n], 40_000_000 + n, paid_at) + "\n")

    # The statement: one credit line per dossier of the statement set, 90 % matching, in a shuffled order.
    rng = random.Random(20261206)
    statement_codes = codes[online:]
    lines: list[tuple[str, int, str]] = []
    kinds = {"match": 0, "wrongAmount": 0, "unknownCode": 0, "noCode": 0}
    unmatched = args.statement // 10
    for i, code in enumerate(statement_codes):
        if i < len(statement_codes) - unmatched:
            lines.append(("match", FEE, compact_note(code, rng)))
        else:
            j = i - (len(statement_codes) - unmatched)
            if j % 10 < 4:
                lines.append(("wrongAmount", rng.choice([50_000, 10_000, 1_000_000, 99_000]), compact_note(code, rng)))
            elif j % 10 < 7:
                # A code of this agency's shape, on a day before any seeded one: no such dossier.
                ghost = f"{AGENCY}-{day_code(today - dt.timedelta(days=400 + j % 50))}-{j % 9000 + 1:04d}"
                lines.append(("unknownCode", FEE, compact_note(ghost, rng)))
            else:
                lines.append(("noCode", FEE, rng.choice(["NGUYEN VAN A CHUYEN TIEN", "Nop phi thi nang ngach",
                                                         "CT DEN:0071000123 HOC PHI", "Chuyển khoản nộp phí"])))
    rng.shuffle(lines)
    with open(work / "statement.csv", "w", encoding="utf-8", newline="") as out:
        out.write("Số bút toán,Ngày giao dịch,Số tiền,Nội dung\r\n")
        for i, (kind, amount, note) in enumerate(lines):
            kinds[kind] += 1
            note = '"' + note.replace('"', '""') + '"' if ("," in note or '"' in note) else note
            out.write(f"FT26340{i + 1:08d},{(today - dt.timedelta(days=1)).strftime('%d/%m/%Y')},{amount},{note}\r\n")
    summary = {"template": info, "ipnWarmup": args.warmup, "ipnFirst": args.ipn, "statementDossiers": args.statement,
               "statementLines": len(lines), "statementKinds": kinds, "firstDossier": next_dossier,
               "lastDossier": next_dossier + total - 1, "onlineDossiers": [next_dossier, next_dossier + online - 1],
               "statementDossierRange": [next_dossier + online, next_dossier + total - 1],
               "seedSeconds": round(seeded, 1), "seconds": round(time.monotonic() - started, 1)}
    (work / "seed.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"seeded {total:,} dossiers of {PROCEDURE} in status 6 with an open charge ({online:,} with a pending VNPay attempt) "
          f"in {seeded:.1f} s; {args.ipn:,} + {args.warmup:,} signed IPN URLs; statement of {len(lines):,} lines {kinds}")


# --- The desk --------------------------------------------------------------------------------------

def desk(args: argparse.Namespace) -> None:
    browser = Browser(args.base)
    sign_in(browser, args.email, args.password)
    page = browser.expect(200, "GET", "/mot-cua/sao-ke")
    csrf = csrf_of(page)
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar if c.name in ("motcua_session", "motcua_csrf"))
    print(f"{cookie}\t{csrf}")


# --- Replays ------------------------------------------------------------------------------------

def replays(args: argparse.Namespace) -> None:
    """ipn-replay.txt: the IPN lines (warm-up and first-time) whose attempt the database holds as paid, i.e. notifications
    the portal has already recorded (a line sent while wrk stopped may not have been)."""
    db = open_db(args)
    paid = {str(r[0]) for r in db.rows("SELECT reference FROM payment_attempts WHERE method = 'vnpay' AND state = 'paid'")}
    work = Path(args.work)
    kept = 0
    with open(work / "ipn-replay.txt", "w") as out:
        for name in ("ipn-warmup.txt", "ipn-first.txt"):
            for line in (work / name).read_text().splitlines():
                reference = urllib.parse.parse_qs(line.split("?", 1)[1])["vnp_TxnRef"][0]
                if reference in paid:
                    out.write(line + "\n")
                    kept += 1
    if kept == 0:
        fail("no recorded notification to replay")
    print(kept)


# --- After the runs --------------------------------------------------------------------------------

def check(args: argparse.Namespace) -> None:
    db = open_db(args)
    s = json.loads((Path(args.work) / "seed.json").read_text())
    on_lo, on_hi = s["onlineDossiers"]
    st_lo, st_hi = s["statementDossierRange"]

    def pairs(sql: str) -> dict[str, int]:
        return {str(r[0]): int(r[1]) for r in db.rows(sql)}

    result = {
        "receiptsByMethod": pairs("SELECT method, count(*) FROM payment_receipts GROUP BY method ORDER BY method"),
        "receiptFiles": int(db.rows("SELECT count(DISTINCT sha256) FROM payment_receipts")[0][0]),
        "onlineDossiersByStatus": pairs(f"SELECT status, count(*) FROM dossiers WHERE id BETWEEN {on_lo} AND {on_hi} GROUP BY status"),
        "statementDossiersByStatus": pairs(f"SELECT status, count(*) FROM dossiers WHERE id BETWEEN {st_lo} AND {st_hi} GROUP BY status"),
        "attemptsByMethodState": pairs("SELECT method || ' ' || state, count(*) FROM payment_attempts GROUP BY method, state"),
        "payEvents": int(db.rows("SELECT count(*) FROM dossier_events WHERE action = 'pay'")[0][0]),
        "openCharges": int(db.rows("SELECT count(*) FROM dossier_charges WHERE paid_at IS NULL AND cancelled_at IS NULL")[0][0]),
        "receiptNumbers": [int(v) if v not in (None, "") else None for v in
                           db.rows("SELECT min(number), max(number), count(*) FROM payment_receipts")[0]],
    }
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("template")
    p.add_argument("--base", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--out", required=True)
    for name in ("seed", "check", "replays"):
        p = sub.add_parser(name)
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("--data-dir")
        target.add_argument("--database-url")
        p.add_argument("--work", required=True)
        if name == "seed":
            p.add_argument("--template", required=True)
            p.add_argument("--ipn", type=int, default=12_000)
            p.add_argument("--warmup", type=int, default=1_000)
            p.add_argument("--statement", type=int, default=10_000)
    p = sub.add_parser("desk")
    p.add_argument("--base", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    args = parser.parse_args()
    try:
        {"template": template, "seed": seed, "desk": desk, "check": check, "replays": replays}[args.command](args)
    except SetupError as error:
        fail(str(error))


if __name__ == "__main__":
    main()
