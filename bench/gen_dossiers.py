"""Seeds a MotCua database with many dossiers, for bench/dossiers.sh.

    python3 bench/gen_dossiers.py --data-dir D [--dossiers 1000000] [--users U] [--out FILE]
                                  [--motcua-bin BIN | --password-hash HASH] [--codes-file FILE]
    python3 bench/gen_dossiers.py --database-url postgres://... --motcua-bin BIN ...   (PostgreSQL)

D is a data dir made by starting `motcua serve --data-dir D` once (migrations and demo catalog) and
stopping it; the server must not run while this writes. What it adds, all consistent with what the
portal itself would have written:

- U citizen accounts (default N/100, at most 10 000: about 100 dossiers each), 80 % individuals (CCCD)
  and 20 % organizations (tax code), e-mail verified, all with one password. Its bcrypt hash is made by
  the portal itself (`motcua create-user` of one bench receptionist, `bench.tiepnhan@bench.motcua.vn`),
  or given with --password-hash, so every citizen can sign in with --password.
- N dossiers over the last --days days (fewer at weekends), each for a procedure open to its applicant's
  kind, with valid form values, a delivery method the procedure offers, the code
  `<agency>-<YYMMDD>-<NNNN>` numbered per agency and Vietnamese day in submission order, and a history
  (submit, accept / refuse / supplement request, processing, finish, result returned, withdrawals,
  stops) cut at the present, with the milestones and desk note the back office writes (when the
  database has those columns), so recent dossiers wait at the desk and old ones are mostly returned. The
  due date counts working days from acceptance (weekends and fixed public holidays skipped).
  `dossier_sequences` holds the last number of every agency and day, so new submissions continue it.
  About --desk-backlog (10 000) of the newest dossiers still wait at the desk (at most 30 days' worth).
  Recent days also have drafts (no code), never older than 20 days (the draft cleanup leaves them).
- One attachment per mandatory document (plus some optional ones) of every dossier, and a result file
  for finished ones, pointing at a pool of real PDF (and JPEG) files written into D/files/objects/, so
  downloads work.
- API tokens (`mct_…`, stored as SHA-256 like APITokenStore) for --token-citizens individuals, among
  them the citizen whose dossier count is closest to 100 (--my-dossiers), and for every receptionist.
- With --agency CODE --agency-share F, a share F of the dossiers goes to that agency's procedures (one big
  agency, as bench/issue16.sh wants), the rest to the other agencies'.

Writes FILE (--out, JSON): the password, the token holders with their tokens and dossier counts, the
staff tokens, counts and timings. --codes-file gets a random sample of real dossier codes, one a line.
Prints rows/s. Loading uses big transactions, executemany, no journal and the secondary indexes of the
dossier tables dropped during the load and made again at the end (SQLite); COPY through psql
(PostgreSQL).
"""

from __future__ import annotations

import argparse
import base64
import bisect
import datetime as dt
import hashlib
import json
import os
import random
import secrets
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
VN_OFFSET_MS = 7 * HOUR_MS
EMAIL_DOMAIN = "bench.motcua.vn"
HASH_ACCOUNT = f"bench.tiepnhan@{EMAIL_DOMAIN}"
DEFAULT_PASSWORD = "Ho-so-thu-nghiem-2026"
DRAFT_MAX_AGE_DAYS = 20
BATCH_DOSSIERS = 50_000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
          "Lò", "Cầm", "Hà", "Nông", "Triệu", "Lương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài", "Xuân", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vân",
         "Việt", "Yến"]
ORG_KIND = ["Trường Trung học cơ sở", "Trường Tiểu học", "Trung tâm Y tế", "Ủy ban nhân dân xã", "Ban Quản lý dự án",
            "Hội Cựu chiến binh", "Hội Nông dân", "Công ty TNHH", "Hợp tác xã", "Trung tâm Văn hóa"]
PLACES = ["Chiềng Sinh", "Tô Hiệu", "Quyết Thắng", "Bến Nghé", "Tân Định", "Đức Xuân", "Sông Cầu", "Ninh Kiều",
          "An Hòa", "Cái Khế", "Mường La", "Phù Yên", "Bạch Thông", "Chợ Mới", "Thới Lai", "Phong Điền"]
STREETS = ["Tô Hiệu", "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Hùng Vương", "Điện Biên Phủ",
           "Nguyễn Văn Cừ", "Lý Thường Kiệt", "Phan Đình Phùng"]
TEXT_VALUES = ["Sở Nội vụ", "Chuyên viên văn thư", "Ủy ban nhân dân huyện", "Phòng Tổ chức cán bộ",
               "Lưu trữ học", "Quản trị văn phòng", "Kế toán", "Công nghệ thông tin", "Hội Khuyến học", "2025 - 2030",
               "Trường Trung học phổ thông", "Trung tâm Dịch vụ việc làm", "Quyết định số 125/QĐ-UBND"]
SUMMARIES = ["Đề nghị giải quyết thủ tục theo hồ sơ đính kèm.",
             "Kính đề nghị Sở xem xét, giải quyết.",
             "Hồ sơ gồm đầy đủ giấy tờ theo quy định.",
             "Đề nghị xem xét sớm do cần bổ sung hồ sơ công tác.",
             ""]
REFUSE_NOTES = ["Hồ sơ không thuộc thẩm quyền giải quyết của Sở.", "Đối tượng không đủ điều kiện theo quy định."]
SUPPLEMENT_NOTES = ["Đề nghị bổ sung bản sao có chứng thực văn bằng.", "Tờ khai thiếu chữ ký, đề nghị bổ sung."]
SUPPLEMENT_REPLIES = ["Đã bổ sung giấy tờ theo yêu cầu.", "Gửi lại tờ khai đã ký."]
WITHDRAW_NOTES = ["Rút hồ sơ để nộp lại sau.", "Không còn nhu cầu giải quyết.", ""]
STOP_NOTES = ["Dừng xử lý theo đề nghị của cơ quan cấp trên.", "Người nộp không còn đủ điều kiện."]
DOCUMENT_NAMES = ["to-khai.pdf", "don-de-nghi.pdf", "ban-sao-van-bang.pdf", "so-yeu-ly-lich.pdf", "giay-xac-nhan.pdf",
                  "quyet-dinh.pdf", "bien-ban.pdf"]


# --- Valid files -----------------------------------------------------------------------------------

class PDFLayout:
    """A valid one-page PDF of an exact size: a text page, then a stream object of filler bytes that makes
    up the size, then the cross-reference table and %%EOF (the portal's sniffer wants it near the end).
    `prefix + <filler_length bytes> + suffix` is the file, so a large one can be streamed."""

    def __init__(self, size: int, label: str = "MotCua") -> None:
        text = f"BT /F1 18 Tf 72 720 Td ({label}) Tj ET".encode("latin-1", "replace")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        body = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._offsets = []
        for number, obj in enumerate(objects, start=1):
            self._offsets.append(len(body))
            body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
        self._objects_end = bytes(body)
        length = max(0, size - len(self._prefix(0)) - len(self._suffix(0)))
        for _ in range(6):  # more digits in /Length and startxref for a longer filler
            total = len(self._prefix(length)) + length + len(self._suffix(length))
            if total == size or length == 0:
                break
            length = max(0, length + size - total)
        self.filler_length = length
        self.prefix = self._prefix(length)
        self.suffix = self._suffix(length)

    def _prefix(self, length: int) -> bytes:
        return self._objects_end + b"6 0 obj\n<< /Length %d >>\nstream\n" % length

    def _suffix(self, length: int) -> bytes:
        filler_object = len(self._objects_end)
        xref = len(self._prefix(length)) + length + len(b"\nendstream\nendobj\n")
        table = b"".join(b"%010d 00000 n \n" % offset for offset in self._offsets + [filler_object])
        return (b"\nendstream\nendobj\nxref\n0 7\n0000000000 65535 f \n" + table
                + b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)

    @property
    def size(self) -> int:
        return len(self.prefix) + self.filler_length + len(self.suffix)


def pdf_bytes(size: int, label: str = "MotCua") -> bytes:
    """A valid PDF of `size` bytes (at least ~700) with random filler, so every call gives another file."""
    layout = PDFLayout(size, label)
    return layout.prefix + os.urandom(layout.filler_length) + layout.suffix


JPEG_PLACEHOLDER = (bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + b"MotCua benchmark scan" * 40
                    + bytes.fromhex("ffd9"))


# --- Catalog read from the database ----------------------------------------------------------------

@dataclass
class Procedure:
    id: int
    agency_id: int
    agency_code: str
    code: str
    name: str
    applicant_types: list[str]
    processing_days: int
    delivery: list[str]
    form_fields: list[dict[str, Any]]
    documents: list[tuple[int, bool, list[str]]]
    value_variants: list[str] = field(default_factory=list)


@dataclass
class Citizen:
    id: int
    kind: str
    email: str
    address: str
    dossiers: int = 0
    token: str | None = None


class Store(Protocol):
    """Where rows go: SQLite (executemany) or PostgreSQL (psql COPY)."""

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...
    def columns(self, table: str) -> set[str]: ...
    def begin_load(self) -> None: ...
    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None: ...
    def commit(self) -> None: ...
    def end_load(self) -> None: ...


class SQLiteStore:
    """SQLite: big transactions, executemany, no journal while loading, secondary indexes made at the end."""

    TABLES = ("dossiers", "dossier_events", "dossier_attachments")

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout = 5000")
        self.dropped: list[str] = []

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self.db.execute(sql).fetchall()

    def columns(self, table: str) -> set[str]:
        return {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}

    def begin_load(self) -> None:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -262144", "temp_store = MEMORY",
                       "locking_mode = EXCLUSIVE"):
            self.db.execute(f"PRAGMA {pragma}")
        placeholders = ",".join("?" * len(self.TABLES))
        for name, sql in self.db.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
                self.TABLES).fetchall():
            self.db.execute(f'DROP INDEX "{name}"')
            self.dropped.append(sql)
        self.db.execute("BEGIN")

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        marks = ",".join("?" * len(columns))
        self.db.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows)

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def end_load(self) -> None:
        self.db.execute("COMMIT")
        for sql in self.dropped:
            self.db.execute(sql)
        self.db.execute("PRAGMA locking_mode = NORMAL")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.close()


class PostgresStore:
    """PostgreSQL through psql: COPY FROM STDIN for the rows, one psql process per batch and table."""

    BOOLEAN_COLUMNS = {("users", "disabled")}

    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        out = subprocess.run(["psql", self.url, "-X", "-q", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        rows = []
        for line in out.splitlines():
            rows.append(tuple(None if v == "" else v for v in line.split("\x1f")))
        return rows

    def columns(self, table: str) -> set[str]:
        return {str(row[0]) for row in self.query(
            f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'")}

    def begin_load(self) -> None:
        pass

    @staticmethod
    def _field(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return  # COPY would read the lone newline as one empty row
        booleans = [i for i, c in enumerate(columns) if (table, c) in self.BOOLEAN_COLUMNS]
        lines = []
        for row in rows:
            values = list(row)
            for i in booleans:
                values[i] = bool(values[i])
            lines.append("\t".join(self._field(v) for v in values))
        data = ("\n".join(lines) + "\n").encode()
        # Foreign keys are not checked row by row while loading (superuser only; the rows are consistent).
        subprocess.run(["psql", self.url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "-c", "SET session_replication_role = replica",
                        "-c", f"COPY {table} ({','.join(columns)}) FROM STDIN"], input=data, check=True)

    def commit(self) -> None:
        pass

    def end_load(self) -> None:
        self.query("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users)); "
                   "SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT max(id) FROM dossiers)); "
                   "ANALYZE")


def load_procedures(store: Store, rng: random.Random) -> list[Procedure]:
    documents: dict[int, list[tuple[int, bool, list[str]]]] = {}
    for procedure_id, position, mandatory, formats in store.query(
            "SELECT procedure_id, position, mandatory, formats FROM required_documents ORDER BY procedure_id, position"):
        documents.setdefault(int(procedure_id), []).append(
            (int(position), str(mandatory) in ("1", "t", "True", "true"), json.loads(formats)))
    procedures = []
    for row in store.query("""
            SELECT p.id, p.agency_id, a.code, p.code, p.name, p.applicant_types, p.processing_days, p.result_delivery,
                   p.form_fields FROM procedures p JOIN agencies a ON a.id = p.agency_id ORDER BY p.id"""):
        procedure = Procedure(
            id=int(row[0]), agency_id=int(row[1]), agency_code=row[2], code=row[3], name=row[4],
            applicant_types=json.loads(row[5]), processing_days=int(row[6]), delivery=json.loads(row[7]),
            form_fields=json.loads(row[8]), documents=documents.get(int(row[0]), []))
        procedure.value_variants = [json.dumps(form_values(procedure, rng), ensure_ascii=False) for _ in range(24)]
        procedures.append(procedure)
    if not procedures:
        raise SystemExit("gen_dossiers: the database has no procedures: start `motcua serve --data-dir D` once first")
    return procedures


def form_values(procedure: Procedure, rng: random.Random) -> dict[str, str]:
    """Values that DossierService.validate accepts for the procedure's own fields."""
    values: dict[str, str] = {}
    for spec in procedure.form_fields:
        kind = spec.get("type", "text")
        if not spec.get("required") and rng.random() < 0.3:
            continue
        limit = int(spec.get("maxLength") or 200)
        if kind == "number":
            value = str(rng.randint(1, 40))
        elif kind == "date":
            value = (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))).isoformat()
        elif kind == "select":
            value = rng.choice(spec.get("options") or [""])
        elif kind == "textarea":
            value = "Trình bày: " + rng.choice(SUMMARIES[:-1])
        elif kind == "email":
            value = f"lienhe{rng.randint(1, 999)}@example.vn"
        elif kind == "phone":
            value = "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        else:
            value = rng.choice(TEXT_VALUES)
        values[spec["key"]] = value[:limit]
    return values


# --- Time: Vietnamese days and working days ----------------------------------------------------------

def vn_day_start(ms: int) -> int:
    """Epoch ms of 00:00 in Vietnam (UTC+7) of the day that contains `ms`."""
    return (ms + VN_OFFSET_MS) // DAY_MS * DAY_MS - VN_OFFSET_MS


def day_code(day_start_ms: int) -> str:
    return dt.datetime.fromtimestamp((day_start_ms + VN_OFFSET_MS) / 1000, dt.timezone.utc).strftime("%y%m%d")


class WorkingDays:
    """Working days (no Saturday, Sunday, 1 Jan, 30 Apr, 1 May, 2 Sep; Tết is not modelled) as indexes of
    Vietnamese days since `first_day`."""

    def __init__(self, first_day_ms: int, count: int) -> None:
        self.first = first_day_ms
        self.days: list[int] = []
        for index in range(count):
            date = dt.datetime.fromtimestamp((first_day_ms + index * DAY_MS + VN_OFFSET_MS) / 1000, dt.timezone.utc)
            if date.weekday() < 5 and (date.month, date.day) not in {(1, 1), (4, 30), (5, 1), (9, 2)}:
                self.days.append(index)

    def due(self, at_ms: int, working_days: int) -> int:
        """The time `working_days` working days after `at_ms` (its day does not count), same time of day."""
        index = (at_ms - self.first) // DAY_MS
        k = bisect.bisect_right(self.days, index) + working_days - 1
        return at_ms + (self.days[min(k, len(self.days) - 1)] - index) * DAY_MS


# --- Generation --------------------------------------------------------------------------------------

def password_hash(args: argparse.Namespace, store: Store, agency_code: str) -> str:
    if args.password_hash:
        return args.password_hash
    existing = store.query(f"SELECT password_hash FROM users WHERE email = '{HASH_ACCOUNT}'")
    if not existing:
        if not args.motcua_bin:
            raise SystemExit("gen_dossiers: give --motcua-bin (to hash the password with `motcua create-user`) or --password-hash")
        command = [args.motcua_bin, "create-user", "--email", HASH_ACCOUNT, "--name", "Cán bộ tiếp nhận thử nghiệm",
                   "--role", "receptionist", "--agency", agency_code, "--password", args.password]
        env = dict(os.environ)
        if args.data_dir:
            command[2:2] = ["--data-dir", str(args.data_dir)]
            env.pop("DATABASE_URL", None)
        else:
            env["DATABASE_URL"] = args.database_url
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise SystemExit(f"gen_dossiers: motcua create-user failed:\n{result.stdout}{result.stderr}")
        existing = store.query(f"SELECT password_hash FROM users WHERE email = '{HASH_ACCOUNT}'")
    return str(existing[0][0])


def make_users(count: int, first_id: int, hash_: str, now: int, rng: random.Random) -> tuple[list[Citizen], list[tuple[Any, ...]]]:
    citizens, rows = [], []
    for i in range(count):
        uid = first_id + i
        family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
        place, street = rng.choice(PLACES), rng.choice(STREETS)
        address = f"Số {rng.randint(1, 300)} đường {street}, {place}"
        phone = "09" + f"{rng.randint(0, 99_999_999):08d}"
        created = now - rng.randint(800, 1500) * DAY_MS
        if i % 5 == 4:
            kind = "organization"
            email = f"to-chuc.{i:05d}@{EMAIL_DOMAIN}"
            row = (uid, kind, email, hash_, f"{rng.choice(ORG_KIND)} {place}", None, None, f"{4_100_000_000 + i:010d}",
                   f"{family} {middle} {given}", phone, address, None, None, created + HOUR_MS, 0, created)
        else:
            kind = "individual"
            email = f"cong-dan.{i:05d}@{EMAIL_DOMAIN}"
            year = rng.randint(1960, 2004)
            citizen_id = f"{rng.choice([1, 14, 79, 6, 92]):03d}{1 if year < 2000 else 3}{year % 100:02d}{i:06d}"
            birth = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            row = (uid, kind, email, hash_, f"{family} {middle} {given}", citizen_id, birth, None, None, phone, address,
                   None, None, created + HOUR_MS, 0, created)
        citizens.append(Citizen(id=uid, kind=kind, email=email, address=address))
        rows.append(row)
    return citizens, rows


USER_COLUMNS = ("id", "kind", "email", "password_hash", "display_name", "citizen_id", "date_of_birth", "tax_code",
                "representative", "phone", "address", "role", "agency_id", "email_verified_at", "disabled", "created_at")
DOSSIER_COLUMNS = ("id", "code", "procedure_id", "agency_id", "applicant_id", "status", "channel", "request_summary",
                   "form_values", "delivery_method", "delivery_address", "created_at", "updated_at", "submitted_at",
                   "due_at")
# Added by the back office (migration 4); written when the database has them.
BACK_OFFICE_DOSSIER_COLUMNS = ("accepted_at", "finished_at", "returned_at", "desk_note")
EVENT_COLUMNS = ("dossier_id", "at", "actor_id", "action", "from_status", "to_status", "note")
ATTACHMENT_COLUMNS = ("dossier_id", "document_position", "sha256", "size_bytes", "content_type", "display_name",
                      "created_at")
BACK_OFFICE_ATTACHMENT_COLUMNS = ("kind",)


def write_file_pool(files_dir: Path | None, rng: random.Random) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Real files for the attachment rows: PDFs of 30–400 KB and small JPEGs, stored like LocalFileStore."""
    pdfs, jpgs = [], []
    contents = [(pdf_bytes(int(30_000 * (400 / 30) ** rng.random()), f"Tai lieu {n}"), pdfs) for n in range(24)]
    contents += [(JPEG_PLACEHOLDER + bytes([n]) * 8 + bytes.fromhex("ffd9"), jpgs) for n in range(4)]
    for data, pool in contents:
        sha = hashlib.sha256(data).hexdigest()
        if files_dir is not None:
            path = files_dir / "objects" / sha[:2] / sha[2:4] / sha
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(data)
        pool.append((sha, len(data)))
    return pdfs, jpgs


class Dice:
    """rng.randint and rng.choice without their overhead (the generator draws tens of millions)."""

    __slots__ = ("random",)

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random

    def int(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[Any]) -> Any:
        return items[int(self.random() * len(items))]


@dataclass
class Staff:
    receptionist: int | None
    processor: int | None
    leader: int | None


def lifecycle(dice: "Dice", t0: int, applicant: int, staff: Staff, processing_days: int, work: WorkingDays,
              now: int) -> tuple[list[tuple[int, int | None, str, int, int, str]], int | None]:
    """The dossier's history from its submission at t0 up to `now`, and its due date once accepted."""
    events: list[tuple[int, int | None, str, int, int, str]] = [(t0, applicant, "submit", 0, 1, "Nộp hồ sơ trực tuyến")]
    due = None
    r = dice.random()
    if r < 0.03:
        events.append((t0 + dice.int(1, 48) * HOUR_MS, applicant, "withdraw", 1, 7, dice.pick(WITHDRAW_NOTES)))
        return [e for e in events if e[0] <= now], None
    t = t0 + dice.int(30, 40 * 60) * MINUTE_MS
    r = dice.random()
    if r < 0.04:
        events.append((t, staff.receptionist, "refuse", 1, 3, dice.pick(REFUSE_NOTES)))
        return [e for e in events if e[0] <= now], None
    if r < 0.11:
        events.append((t, staff.receptionist, "requestSupplement", 1, 5, dice.pick(SUPPLEMENT_NOTES)))
        if dice.random() < 0.15:
            if dice.random() < 0.5:
                events.append((t + dice.int(2, 20) * DAY_MS, applicant, "withdraw", 5, 7, dice.pick(WITHDRAW_NOTES)))
            return [e for e in events if e[0] <= now], None
        t += dice.int(4, 7 * 24) * HOUR_MS
        events.append((t, applicant, "supplement", 5, 1, dice.pick(SUPPLEMENT_REPLIES)))
        t += dice.int(30, 24 * 60) * MINUTE_MS
    events.append((t, staff.receptionist, "accept", 1, 2, ""))
    if t <= now:
        due = work.due(t, processing_days)
    t_processing = t + dice.int(30, 24 * 60) * MINUTE_MS
    events.append((t_processing, staff.processor, "startProcessing", 2, 4, ""))
    if dice.random() < 0.02:
        events.append((t_processing + dice.int(1, 10) * DAY_MS, staff.leader, "stop", 4, 8, dice.pick(STOP_NOTES)))
        return [e for e in events if e[0] <= now], due
    finish_due = due if due is not None else work.due(t, processing_days)
    t_finish = t_processing + int((finish_due - t_processing) * (0.3 + 0.82 * dice.random()))
    events.append((max(t_finish, t_processing + HOUR_MS), staff.leader, "finish", 4, 9, ""))
    events.append((events[-1][0] + dice.int(1, 5 * 24) * HOUR_MS, staff.receptionist, "returnResult", 9, 10, ""))
    return [e for e in events if e[0] <= now], due


def generate(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    rng = random.Random(args.seed)
    store: Store
    if args.database_url:
        store = PostgresStore(args.database_url)
        files_dir = args.files_dir
    else:
        db_path = args.data_dir / "motcua.sqlite"
        if not db_path.exists():
            raise SystemExit(f"gen_dossiers: no {db_path}: start `motcua serve --data-dir {args.data_dir}` once first")
        store = SQLiteStore(db_path)
        files_dir = args.data_dir / "files"
    if store.query(f"SELECT count(*) FROM users WHERE email LIKE '%@{EMAIL_DOMAIN}' AND kind <> 'staff'")[0][0] not in (0, "0"):
        raise SystemExit("gen_dossiers: this database is already seeded (bench citizens exist): use a fresh data dir")

    procedures = load_procedures(store, rng)
    agencies = {int(r[0]): r[1] for r in store.query("SELECT id, code FROM agencies")}
    hash_ = password_hash(args, store, procedures[0].agency_code)
    staff_rows = store.query("SELECT id, agency_id, role FROM users WHERE kind = 'staff' AND agency_id IS NOT NULL ORDER BY id")
    staff: dict[int, Staff] = {a: Staff(None, None, None) for a in agencies}
    for uid, agency_id, role in staff_rows:
        entry = staff.get(int(agency_id))
        if entry is not None and role in ("receptionist", "processor", "leader") and getattr(entry, role) is None:
            setattr(entry, role, int(uid))

    now = int(time.time() * 1000)
    users_count = args.users or min(10_000, max(16, args.dossiers // 100))
    first_user = int(store.query("SELECT coalesce(max(id), 0) FROM users")[0][0]) + 1
    citizens, user_rows = make_users(users_count, first_user, hash_, now, rng)
    first_dossier = int(store.query("SELECT coalesce(max(id), 0) FROM dossiers")[0][0]) + 1
    by_kind = {kind: [p for p in procedures if kind in p.applicant_types] for kind in ("individual", "organization")}
    by_kind = {k: v for k, v in by_kind.items() if v}
    eligible = [c for c in citizens if c.kind in by_kind]
    # --agency-share: that share of the dossiers goes to --agency's procedures, the rest to the other agencies'.
    favoured: dict[str, list[Procedure]] = {}
    others: dict[str, list[Procedure]] = {}
    if args.agency:
        if args.agency not in agencies.values():
            raise SystemExit(f"gen_dossiers: no agency {args.agency} in the catalog")
        favoured = {k: [p for p in v if p.agency_code == args.agency] for k, v in by_kind.items()}
        others = {k: [p for p in v if p.agency_code != args.agency] for k, v in by_kind.items()}
        if not all(favoured.values()) or not all(others.values()):
            raise SystemExit(f"gen_dossiers: --agency {args.agency} must share applicant kinds with the other agencies")
    if not eligible:
        raise SystemExit("gen_dossiers: no procedure is open to individuals or organizations")
    pdfs, jpgs = write_file_pool(files_dir, rng)

    back_office = "accepted_at" in store.columns("dossiers") and "kind" in store.columns("dossier_attachments")
    dossier_columns = DOSSIER_COLUMNS + (BACK_OFFICE_DOSSIER_COLUMNS if back_office else ())
    attachment_columns = ATTACHMENT_COLUMNS + (BACK_OFFICE_ATTACHMENT_COLUMNS if back_office else ())

    store.begin_load()
    store.insert("users", USER_COLUMNS, user_rows)

    # Days, oldest first; weekends get fewer dossiers. The last day is today, up to now.
    today = vn_day_start(now)
    first_day = today - (args.days - 1) * DAY_MS
    work = WorkingDays(first_day, args.days + 120)
    weights = []
    for index in range(args.days):
        weekday = dt.datetime.fromtimestamp((first_day + index * DAY_MS + VN_OFFSET_MS) / 1000, dt.timezone.utc).weekday()
        share = 1.0 if weekday < 5 else (0.35 if weekday == 5 else 0.25)
        if index == args.days - 1:
            share *= max(0.05, (now - today) / DAY_MS)
        weights.append(share)
    total_weight = sum(weights)
    per_day = [int(args.dossiers * w / total_weight) for w in weights]
    for index in rng.sample(range(args.days), args.dossiers - sum(per_day)) if args.dossiers > sum(per_day) else []:
        per_day[index] += 1

    # The desk's backlog: about --desk-backlog of the newest dossiers still wait for it (status 1), at most
    # 30 days' worth; staff actions in the benchmark take them.
    backlog_ms = min(30 * DAY_MS, int(args.desk_backlog / max(1.0, args.dossiers / args.days) * DAY_MS))
    next_id = first_dossier
    sequences: list[tuple[int, str, int]] = []
    codes_sample: list[str] = []
    seen_codes = 0
    counts = {"dossiers": 0, "drafts": 0, "events": 0, "attachments": 0, "users": len(user_rows)}
    status_counts: dict[int, int] = {}
    dossier_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    attachment_rows: list[tuple[Any, ...]] = []
    dice = Dice(rng)
    random_, randint, choice = dice.random, dice.int, dice.pick

    def flush() -> None:
        store.insert("dossiers", dossier_columns, dossier_rows)
        store.insert("dossier_events", EVENT_COLUMNS, event_rows)
        store.insert("dossier_attachments", attachment_columns, attachment_rows)
        store.commit()
        counts["events"] += len(event_rows)
        counts["attachments"] += len(attachment_rows)
        dossier_rows.clear(), event_rows.clear(), attachment_rows.clear()

    for index, count in enumerate(per_day):
        day_start = first_day + index * DAY_MS
        code_day = day_code(day_start)
        limit = min(DAY_MS, now - day_start) if index == args.days - 1 else DAY_MS
        # Mostly office hours (07:00–17:30 in Vietnam), some in the evening.
        times = sorted(day_start + (randint(7 * 60, 17 * 60 + 30) if random_() < 0.85 else randint(0, 24 * 60 - 1)) * MINUTE_MS
                       + randint(0, MINUTE_MS - 1) for _ in range(count))
        times = [t if t - day_start < limit else day_start + randint(0, max(0, limit - 1)) for t in times]
        times.sort()
        day_sequence: dict[int, int] = {}
        recent = now - day_start <= DRAFT_MAX_AGE_DAYS * DAY_MS
        for t0 in times:
            citizen = choice(eligible)
            if favoured:
                procedure = choice(favoured[citizen.kind] if random_() < args.agency_share else others[citizen.kind])
            else:
                procedure = choice(by_kind[citizen.kind])
            citizen.dossiers += 1
            delivery = choice(procedure.delivery) if procedure.delivery else None
            created = t0 - randint(5, 180) * MINUTE_MS
            files = []
            for position, mandatory, formats in procedure.documents:
                if mandatory or random_() < 0.3:
                    sha, size = choice(pdfs) if "pdf" in formats else choice(jpgs)
                    name = DOCUMENT_NAMES[position % len(DOCUMENT_NAMES)] if "pdf" in formats else f"anh-{position + 1}.jpg"
                    files.append((position, sha, size, "application/pdf" if "pdf" in formats else "image/jpeg", name,
                                  "applicant", None))
            accepted = finished = returned = None
            desk_note = ""
            if recent and random_() < 0.08:
                status, code, submitted, due, updated = 0, None, None, None, t0
                files = files[:randint(0, len(files))]
                counts["drafts"] += 1
            else:
                sequence = day_sequence.get(procedure.agency_id, 0) + 1
                day_sequence[procedure.agency_id] = sequence
                code = f"{procedure.agency_code}-{code_day}-{sequence:04d}"
                if now - t0 < backlog_ms and random_() < 0.9:
                    history, due = [(t0, citizen.id, "submit", 0, 1, "Nộp hồ sơ trực tuyến")], None
                else:
                    history, due = lifecycle(dice, t0, citizen.id, staff[procedure.agency_id], procedure.processing_days,
                                             work, now)
                status, submitted, updated = history[-1][4], t0, history[-1][0]
                for at, actor, action, from_status, to_status, note in history:
                    event_rows.append((next_id, at, actor, action, from_status, to_status, note))
                    # Milestones and the desk's latest word, as DossierWorkflow.perform writes them.
                    if action == "accept":
                        accepted, desk_note = at, ""
                    elif action in ("refuse", "requestSupplement", "stop"):
                        desk_note = note
                    elif action == "finish":
                        finished = at
                        # The processor's result file, uploaded before the leader's approval.
                        sha, size = choice(pdfs)
                        files.append((0, sha, size, "application/pdf", "ket-qua-giai-quyet.pdf", "result",
                                      at - randint(10, 600) * MINUTE_MS))
                    elif action == "returnResult":
                        returned = at
                seen_codes += 1
                if len(codes_sample) < args.codes:
                    codes_sample.append(code)
                elif randint(0, seen_codes - 1) < args.codes:
                    codes_sample[randint(0, args.codes - 1)] = code
            status_counts[status] = status_counts.get(status, 0) + 1
            dossier_rows.append((next_id, code, procedure.id, procedure.agency_id, citizen.id, status, 2,
                                 choice(SUMMARIES), choice(procedure.value_variants), delivery,
                                 citizen.address if delivery == "post" else None, created, updated, submitted, due,
                                 accepted, finished, returned, desk_note)[:len(dossier_columns)])
            for position, sha, size, content_type, name, kind, at in files:
                attachment_rows.append((next_id, position, sha, size, content_type, name,
                                        at or created + randint(1, 4) * MINUTE_MS, kind)[:len(attachment_columns)])
            next_id += 1
            counts["dossiers"] += 1
            if len(dossier_rows) >= BATCH_DOSSIERS:
                flush()
        for agency_id, last in day_sequence.items():
            sequences.append((agency_id, code_day, last))
        if args.progress and index % 60 == 59:
            elapsed = time.monotonic() - started
            print(f"  {counts['dossiers']:,} dossiers, {elapsed:.0f} s", file=sys.stderr)
    flush()
    store.insert("dossier_sequences", ("agency_id", "day", "last_value"), sequences)

    # Tokens: individuals (the bench files for an individual-only procedure), the one closest to --my-dossiers
    # (100) dossiers first, and every receptionist.
    individuals = sorted((c for c in citizens if c.kind == "individual"),
                         key=lambda c: (abs(c.dossiers - args.my_dossiers), c.id))
    holders = individuals[:args.token_citizens]
    token_rows = []
    for citizen in holders:
        citizen.token = new_token()
        token_rows.append((citizen.id, "benchmark", sha256_hex(citizen.token), now))
    staff_tokens = []
    receptionists = store.query("""
        SELECT u.id, u.email, a.code FROM users u JOIN agencies a ON a.id = u.agency_id
        WHERE u.kind = 'staff' AND u.role = 'receptionist' ORDER BY u.id""")
    for uid, email, agency_code in receptionists:
        token = new_token()
        token_rows.append((int(uid), "benchmark", sha256_hex(token), now))
        staff_tokens.append({"id": int(uid), "email": email, "agencyCode": agency_code, "role": "receptionist", "token": token})
    store.insert("api_tokens", ("user_id", "name", "token_hash", "created_at"), token_rows)
    store.commit()
    load_done = time.monotonic()
    store.end_load()
    finished = time.monotonic()

    rows = counts["dossiers"] + counts["events"] + counts["attachments"] + counts["users"] + len(sequences) + len(token_rows)
    seconds = finished - started
    if args.codes_file:
        rng.shuffle(codes_sample)
        args.codes_file.write_text("\n".join(codes_sample) + "\n")
    return {
        "password": args.password,
        "citizens": [{"id": c.id, "email": c.email, "kind": c.kind, "token": c.token, "dossiers": c.dossiers} for c in holders],
        "myDossiersUser": {"id": holders[0].id, "email": holders[0].email, "dossiers": holders[0].dossiers,
                           "token": holders[0].token},
        "staff": staff_tokens,
        "counts": {**counts, "sequences": len(sequences), "tokens": len(token_rows),
                   "byStatus": {str(k): v for k, v in sorted(status_counts.items())}},
        "codesFile": str(args.codes_file) if args.codes_file else None,
        "seconds": round(seconds, 1),
        "indexSeconds": round(finished - load_done, 1),
        "rows": rows,
        "rowsPerSecond": round(rows / seconds),
        "dossiersPerSecond": round(counts["dossiers"] / seconds),
    }


def new_token() -> str:
    """Like Secrets.random(prefix: "mct_"): 32 random bytes, URL-safe base64 without padding."""
    return "mct_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def parse_args(argv: Iterable[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", type=Path, help="SQLite data dir (motcua.sqlite, files/)")
    target.add_argument("--database-url", help="postgres://… (rows by psql COPY); use --files-dir for the file pool")
    parser.add_argument("--files-dir", type=Path, help="with --database-url: the data dir's files/ folder")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=0, help="citizen accounts (default: dossiers/100, at most 10 000)")
    parser.add_argument("--days", type=int, default=730, help="dossiers spread over this many days up to today")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every bench citizen")
    parser.add_argument("--password-hash", help="bcrypt hash of --password (else made by `motcua create-user`)")
    parser.add_argument("--motcua-bin", help="motcua binary, for create-user")
    parser.add_argument("--desk-backlog", type=int, default=10_000,
                        help="about this many of the newest dossiers wait at the desk (status 1), at most 30 days' worth")
    parser.add_argument("--agency", help="agency code that gets --agency-share of the dossiers (default: no preference)")
    parser.add_argument("--agency-share", type=float, default=0.5, help="with --agency: its share of the dossiers, 0..1")
    parser.add_argument("--my-dossiers", type=int, default=100,
                        help="the first token holder (myDossiersUser) is the individual with a dossier count closest to this")
    parser.add_argument("--token-citizens", type=int, default=64, help="individuals given an API token")
    parser.add_argument("--codes", type=int, default=20_000, help="size of the random sample of codes")
    parser.add_argument("--codes-file", type=Path, help="write the sample of codes here")
    parser.add_argument("--out", type=Path, help="write credentials, counts and timings here (JSON)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--progress", action="store_true", help="print progress to stderr")
    args = parser.parse_args(list(argv))
    if args.dossiers < 1 or args.days < 1:
        parser.error("--dossiers and --days must be positive")
    return args


def main() -> None:
    args = parse_args(sys.argv[1:])
    result = generate(args)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    c = result["counts"]
    print(f"gen_dossiers: {c['dossiers']:,} dossiers ({c['drafts']:,} drafts), {c['events']:,} events, "
          f"{c['attachments']:,} attachments, {c['users']:,} citizens, {c['sequences']:,} sequences in "
          f"{result['seconds']} s (indexes {result['indexSeconds']} s): {result['rowsPerSecond']:,} rows/s, "
          f"{result['dossiersPerSecond']:,} dossiers/s")


if __name__ == "__main__":
    main()
