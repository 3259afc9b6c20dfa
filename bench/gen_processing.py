"""Seeds a MotCua database with dossiers in processing with timed steps, for bench/issue11.sh.

    python3 bench/gen_processing.py --data-dir D [--dossiers 1000000] [--agency CODE] --motcua-bin BIN --out FILE
    python3 bench/gen_processing.py --database-url postgres://... --files-dir D/files --motcua-bin BIN ...

D is a data dir made by starting `motcua serve --data-dir D` once (migrations, demo catalog, demo staff) and
stopping it; the server must not run while this writes. It reuses bench/gen_dossiers.py's stores (SQLite:
executemany in big transactions, no journal, the big tables' secondary indexes dropped during the load and
made again at the end; PostgreSQL: psql COPY), citizens, file pool and tokens. What it adds:

- Processes: a procedure whose `process` is '[]' gets one in the catalog's shape: reception (half a day,
  receptionist, "Bộ phận tiếp nhận và trả kết quả"), one or two processor steps ("Phòng Công chức, viên
  chức"), the leader's approval (a day, "Lãnh đạo Sở"), the return (half a day, receptionist); the
  allowances sum to the processing time. A process already in the catalog is kept.
- Units: every unit a process names, in its agency (only the missing ones). Staff without a unit are placed
  by role (receptionists at the desk's unit, processors in the first processing unit, leaders in the
  leaders' unit); a unit without a head gets one (truongphong.* or else chuyenvien.* for the processing
  unit, lanhdao.* for the leaders', tiepnhan.* for the desk). Idempotent. Per agency, bench staff are added
  so holders are spread: 2 receptionists, 5 processors and 1 leader (`i11.<role><n>.<agency>@bench.motcua.vn`).
- Every staff account of the agencies (the demo ones too) gets the bench password, so the benchmark signs
  them in through the login form; --password says which (default gen_dossiers' one).
- Citizens: a pool of --users (10 000) accounts, as gen_dossiers makes them.
- N dossiers over --days (730) days, spread evenly over the agencies, each with its procedure's process
  copied, a code, a history cut at the present: submission; 3 % withdrawn and 4 % refused at the desk, 7 %
  asked for a supplement (some never answer: status 5 without a clock); acceptance (due date in working
  days), then each step of the process in office time (07:30–11:30, 13:00–17:00, weekends and fixed
  holidays off) taking a share of its allowance (most early or on time, about 8 % late), one hand-over row
  per step stay with its outcome; 2 % stopped by a leader, 1.5 % asked for a supplement during processing
  (status 5 with paused_at while unanswered; the clock resumes after the answer). A dossier not finished at
  the present is at its step (accepted: the desk's step, processing: a processor's or the leader's step,
  finished: the return step) with its unit and holder (a processor step is unassigned in its unit 25 % of
  the time; a leader step goes to the unit's pool 30 % of the time), and its due states at the present
  (overdue before now, due soon within two half days of office time). About --desk-backlog (10 000) of the
  newest wait at the desk (status 1). Returned dossiers are released (no holder, states 0), as the portal
  does.
- Attachments for the mandatory documents and a result file for finished dossiers (real files in files/).
- API tokens (SHA-256 stored) for every staff account of --agency (demo and bench).

Writes FILE (--out, JSON): the password, the agency's demo staff with their tokens, a dossier in processing
with a long history (for the staff dossier page), counts by status and queue, and timings.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_dossiers as gd  # noqa: E402  (the shared generator: stores, citizens, files, tokens)

HALF_DAY = 4 * gd.HOUR_MS            # half a day of office time
OFFICE_DAY = 2 * HALF_DAY
MORNING = (7 * 60 + 30) * gd.MINUTE_MS, (11 * 60 + 30) * gd.MINUTE_MS
AFTERNOON = 13 * 60 * gd.MINUTE_MS, 17 * 60 * gd.MINUTE_MS
DUE_SOON_HALF_DAYS = 2
RECEPTION_UNIT = "Bộ phận tiếp nhận và trả kết quả"
PROCESSING_UNIT = "Phòng Công chức, viên chức"
LEADERSHIP_UNIT = "Lãnh đạo Sở"
STATUS = {"registered": 1, "accepted": 2, "refused": 3, "processing": 4, "supplement": 5, "withdrawn": 7,
          "stopped": 8, "finished": 9, "returned": 10}
HANDOVER_COLUMNS = ("dossier_id", "step_position", "step_name", "unit_id", "handed_by", "received_by", "received_at",
                    "due_at", "finished_at", "outcome", "note")
PROCESSING_COLUMNS = ("revision", "process", "step_position", "step_role", "holder_unit_id", "holder_user_id",
                      "step_started_at", "step_due_at", "paused_at", "due_state", "step_due_state", "applicant_name",
                      "applicant_id_number")
FORWARD_NOTES = ["Chuyển xử lý.", "Đề nghị thẩm định.", "Trình lãnh đạo phê duyệt.", ""]


class SQLiteLoad(gd.SQLiteStore):
    TABLES = gd.SQLiteStore.TABLES + ("dossier_handovers",)


class OfficeClock:
    """Office time as a position: working day index × 8 h + office time elapsed that day. Mirrors
    OfficeHours.adding (an amount ending at a period's end gives that end, not the next opening)."""

    def __init__(self, first_day_ms: int, days: int) -> None:
        self.working: list[int] = []  # local day numbers (days since 1970-01-01 in Vietnam)
        first = (first_day_ms + gd.VN_OFFSET_MS) // gd.DAY_MS
        for day in range(first, first + days):
            date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
            if date.weekday() < 5 and (date.month, date.day) not in {(1, 1), (4, 30), (5, 1), (9, 2)}:
                self.working.append(day)

    def pos(self, t: int) -> int:
        local = t + gd.VN_OFFSET_MS
        day, tod = divmod(local, gd.DAY_MS)
        k = bisect.bisect_left(self.working, day)
        if k >= len(self.working) or self.working[k] != day:
            return k * OFFICE_DAY
        if tod <= MORNING[0]:
            within = 0
        elif tod <= MORNING[1]:
            within = tod - MORNING[0]
        elif tod <= AFTERNOON[0]:
            within = HALF_DAY
        elif tod <= AFTERNOON[1]:
            within = HALF_DAY + tod - AFTERNOON[0]
        else:
            within = OFFICE_DAY
        return k * OFFICE_DAY + within

    def instant(self, p: int) -> int:
        k, r = divmod(p, OFFICE_DAY)
        if r == 0 and k > 0:
            k, r = k - 1, OFFICE_DAY
        day = self.working[min(k, len(self.working) - 1)]
        tod = MORNING[0] + r if r <= HALF_DAY else AFTERNOON[0] + r - HALF_DAY
        return day * gd.DAY_MS + tod - gd.VN_OFFSET_MS


def make_process(processing_days: int) -> list[dict[str, Any]]:
    total = max(processing_days * 2, 6)
    work = total - 4
    steps = [{"name": "Tiếp nhận, kiểm tra hồ sơ", "unit": RECEPTION_UNIT, "role": "receptionist", "halfDays": 1}]
    if work >= 8:
        first = work * 3 // 5
        steps += [{"name": "Thẩm định hồ sơ", "unit": PROCESSING_UNIT, "role": "processor", "halfDays": first},
                  {"name": "Dự thảo kết quả, trình ký", "unit": PROCESSING_UNIT, "role": "processor", "halfDays": work - first}]
    else:
        steps.append({"name": "Thẩm định hồ sơ, dự thảo kết quả", "unit": PROCESSING_UNIT, "role": "processor", "halfDays": work})
    steps += [{"name": "Lãnh đạo Sở xem xét, phê duyệt", "unit": LEADERSHIP_UNIT, "role": "leader", "halfDays": 2},
              {"name": "Trả kết quả", "unit": RECEPTION_UNIT, "role": "receptionist", "halfDays": 1}]
    return steps


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def setup_units(store: gd.Store, agencies: dict[int, str], processes: dict[int, list[dict[str, Any]]],
                procedure_agency: dict[int, int], hash_: str, now: int) -> dict[str, Any]:
    """Units, staff placement and heads, bench staff; idempotent. Returns per agency: unit ids by name and
    staff ids by role (demo first)."""
    wanted: dict[int, list[str]] = {a: [] for a in agencies}
    for procedure_id, steps in processes.items():
        for step in steps:
            names = wanted[procedure_agency[procedure_id]]
            if step["unit"] not in names:
                names.append(step["unit"])
    for agency_id, names in wanted.items():
        existing = {str(r[0]) for r in store.query(f"SELECT name FROM units WHERE agency_id = {agency_id}")}
        for name in names:
            if name not in existing:
                store.query(f"INSERT INTO units (agency_id, name, created_at) VALUES ({agency_id}, {quote(name)}, {now})")
    # Bench staff, so that holders are spread over several people (demo accounts stay the ones measured).
    next_id = int(store.query("SELECT coalesce(max(id), 0) FROM users")[0][0]) + 1
    rows = []
    for agency_id, code in agencies.items():
        suffix = code.split(".")[-1].lower()
        have = {str(r[0]) for r in store.query(f"SELECT email FROM users WHERE agency_id = {agency_id} AND email LIKE 'i11.%'")}
        for role, count in (("receptionist", 2), ("processor", 5), ("leader", 1)):
            for n in range(1, count + 1):
                email = f"i11.{role}{n}.{suffix}@{gd.EMAIL_DOMAIN}"
                if email in have:
                    continue
                rows.append((next_id, "staff", email, hash_, f"{role.capitalize()} {n} (bench)", None, None, None, None, "",
                             "", role, agency_id, now, 0, now))
                next_id += 1
    if rows:
        store.insert("users", gd.USER_COLUMNS, rows)  # before begin_load: SQLite is in autocommit here
    if isinstance(store, gd.PostgresStore):
        store.query("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
    store.query(f"UPDATE users SET password_hash = {quote(hash_)} WHERE kind = 'staff' AND agency_id IS NOT NULL")

    info: dict[str, Any] = {}
    for agency_id, code in agencies.items():
        units = {str(r[1]): int(r[0]) for r in store.query(f"SELECT id, name FROM units WHERE agency_id = {agency_id}")}
        steps = next((processes[p] for p in processes if procedure_agency[p] == agency_id), [])
        unit_of = {}
        for step in steps:
            unit_of.setdefault(step["role"], step["unit"])
        unit_of.setdefault("receptionist", RECEPTION_UNIT)
        unit_of.setdefault("processor", PROCESSING_UNIT)
        unit_of.setdefault("leader", LEADERSHIP_UNIT)
        staff = [(int(r[0]), str(r[1]), str(r[2])) for r in store.query(
            f"SELECT id, email, role FROM users WHERE kind = 'staff' AND agency_id = {agency_id} ORDER BY id")]
        for role in ("receptionist", "processor", "leader"):
            if unit_of[role] in units:
                store.query(f"UPDATE users SET unit_id = {units[unit_of[role]]} WHERE kind = 'staff' AND agency_id = {agency_id} "
                            f"AND role = '{role}' AND unit_id IS NULL")

        def demo(prefix: str) -> int | None:
            return next((uid for uid, email, _ in staff if email.startswith(prefix + ".") and email.endswith("@motcua.demo")), None)
        heads = {unit_of["receptionist"]: demo("tiepnhan"), unit_of["processor"]: demo("truongphong") or demo("chuyenvien"),
                 unit_of["leader"]: demo("lanhdao")}
        for unit, head in heads.items():
            if head is not None and unit in units:
                store.query(f"UPDATE units SET head_user_id = {head} WHERE id = {units[unit]} AND head_user_id IS NULL")
        by_role: dict[str, list[int]] = {}
        members = {int(r[0]): (str(r[1]), int(r[2]) if r[2] is not None else None) for r in store.query(
            f"SELECT id, role, unit_id FROM users WHERE kind = 'staff' AND agency_id = {agency_id} ORDER BY id")}
        for uid, (role, unit_id) in members.items():
            if role in ("receptionist", "processor", "leader") and unit_id == units.get(unit_of[role]):
                by_role.setdefault(role, []).append(uid)
        # Demo accounts first, so that they hold their share of the work.
        for role, prefix in (("receptionist", "tiepnhan"), ("processor", "chuyenvien"), ("leader", "lanhdao")):
            uid = demo(prefix)
            if uid in by_role.get(role, []):
                by_role[role].remove(uid)
                by_role[role].insert(0, uid)
            if not by_role.get(role):
                raise SystemExit(f"gen_processing: agency {code} has no {role} in unit {unit_of[role]}")
        info[code] = {"units": units, "staff": by_role,
                      "demo": {role: demo(prefix) for role, prefix in
                               (("receptionist", "tiepnhan"), ("processor", "chuyenvien"), ("leader", "lanhdao"))}}
    return info


def generate(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    rng = gd.random.Random(args.seed)
    store: gd.Store
    if args.database_url:
        store = gd.PostgresStore(args.database_url)
        files_dir = args.files_dir
    else:
        db_path = args.data_dir / "motcua.sqlite"
        if not db_path.exists():
            raise SystemExit(f"gen_processing: no {db_path}: start `motcua serve --data-dir {args.data_dir}` once first")
        store = SQLiteLoad(db_path)
        files_dir = args.data_dir / "files"
    if store.query(f"SELECT count(*) FROM users WHERE email LIKE '%@{gd.EMAIL_DOMAIN}' AND kind <> 'staff'")[0][0] not in (0, "0"):
        raise SystemExit("gen_processing: this database is already seeded (bench citizens exist): use a fresh data dir")
    if "step_due_at" not in store.columns("dossiers"):
        raise SystemExit("gen_processing: the schema has no processing columns (migration 6): a newer binary is needed")

    procedures = gd.load_procedures(store, rng)
    agencies = {int(r[0]): str(r[1]) for r in store.query("SELECT id, code FROM agencies ORDER BY id")}
    processes: dict[int, list[dict[str, Any]]] = {}
    made_processes = 0
    for procedure_id, process in store.query("SELECT id, process FROM procedures"):
        steps = json.loads(process or "[]")
        if not steps:
            steps = make_process(next(p.processing_days for p in procedures if p.id == int(procedure_id)))
            store.query(f"UPDATE procedures SET process = {quote(json.dumps(steps, ensure_ascii=False))} WHERE id = {procedure_id}")
            made_processes += 1
        processes[int(procedure_id)] = steps
    hash_ = gd.password_hash(args, store, agencies[min(agencies)])
    now = int(time.time() * 1000)
    info = setup_units(store, agencies, processes, {p.id: p.agency_id for p in procedures}, hash_, now)
    if args.agency not in info:
        raise SystemExit(f"gen_processing: no agency {args.agency}")

    first_user = int(store.query("SELECT coalesce(max(id), 0) FROM users")[0][0]) + 1
    citizens, user_rows = gd.make_users(args.users, first_user, hash_, now, rng)
    names = {row[0]: (row[4], row[5] or row[7]) for row in user_rows}
    first_dossier = int(store.query("SELECT coalesce(max(id), 0) FROM dossiers")[0][0]) + 1
    citizens_of = {kind: [c for c in citizens if c.kind == kind] for kind in ("individual", "organization")}
    by_agency: dict[int, list[gd.Procedure]] = {}
    for p in procedures:
        if any(citizens_of.get(kind) for kind in p.applicant_types):
            by_agency.setdefault(p.agency_id, []).append(p)
    agency_ids = sorted(by_agency)
    pdfs, jpgs = gd.write_file_pool(files_dir, rng)
    dossier_columns = gd.DOSSIER_COLUMNS + gd.BACK_OFFICE_DOSSIER_COLUMNS + PROCESSING_COLUMNS
    attachment_columns = gd.ATTACHMENT_COLUMNS + gd.BACK_OFFICE_ATTACHMENT_COLUMNS

    store.begin_load()
    store.insert("users", gd.USER_COLUMNS, user_rows)

    today = gd.vn_day_start(now)
    first_day = today - (args.days - 1) * gd.DAY_MS
    work = gd.WorkingDays(first_day, args.days + 400)
    clock = OfficeClock(first_day, args.days + 400)
    now_pos = clock.pos(now)
    soon = clock.instant(clock.pos(now) + DUE_SOON_HALF_DAYS * HALF_DAY) if clock.pos(now) > 0 else now

    def state(due: int | None) -> int:
        if due is None:
            return 0
        return 2 if due < now else (1 if due <= soon else 0)

    weights = []
    for index in range(args.days):
        weekday = dt.datetime.fromtimestamp((first_day + index * gd.DAY_MS + gd.VN_OFFSET_MS) / 1000, dt.timezone.utc).weekday()
        share = 1.0 if weekday < 5 else (0.35 if weekday == 5 else 0.25)
        if index == args.days - 1:
            share *= max(0.05, (now - today) / gd.DAY_MS)
        weights.append(share)
    total_weight = sum(weights)
    per_day = [int(args.dossiers * w / total_weight) for w in weights]
    for index in rng.sample(range(args.days), args.dossiers - sum(per_day)) if args.dossiers > sum(per_day) else []:
        per_day[index] += 1
    backlog_ms = min(30 * gd.DAY_MS, int(args.desk_backlog / max(1.0, args.dossiers / args.days) * gd.DAY_MS))

    dice = gd.Dice(rng)
    random_, randint, choice = dice.random, dice.int, dice.pick
    process_json = {pid: json.dumps(steps, ensure_ascii=False) for pid, steps in processes.items()}
    agency_code = {p.agency_id: p.agency_code for p in procedures}
    next_id = first_dossier
    counts = {"dossiers": 0, "events": 0, "attachments": 0, "handovers": 0, "users": len(user_rows)}
    status_counts: dict[int, int] = {}
    outcome_counts: dict[str, int] = {}
    dossier_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    attachment_rows: list[tuple[Any, ...]] = []
    handover_rows: list[tuple[Any, ...]] = []
    sequences: list[tuple[int, str, int]] = []
    showcase: tuple[int, int] | None = None  # (handovers, id) of a dossier in processing in --agency
    measured_agency = next(a for a, c in agency_code.items() if c == args.agency)

    def flush() -> None:
        store.insert("dossiers", dossier_columns, dossier_rows)
        store.insert("dossier_events", gd.EVENT_COLUMNS, event_rows)
        store.insert("dossier_attachments", attachment_columns, attachment_rows)
        store.insert("dossier_handovers", HANDOVER_COLUMNS, handover_rows)
        store.commit()
        counts["events"] += len(event_rows)
        counts["attachments"] += len(attachment_rows)
        counts["handovers"] += len(handover_rows)
        dossier_rows.clear(), event_rows.clear(), attachment_rows.clear(), handover_rows.clear()

    for index, count in enumerate(per_day):
        day_start = first_day + index * gd.DAY_MS
        code_day = gd.day_code(day_start)
        limit = min(gd.DAY_MS, now - day_start) if index == args.days - 1 else gd.DAY_MS
        times = sorted(day_start + (randint(7 * 60, 17 * 60 + 30) if random_() < 0.85 else randint(0, 24 * 60 - 1)) * gd.MINUTE_MS
                       + randint(0, gd.MINUTE_MS - 1) for _ in range(count))
        times = sorted(t if t - day_start < limit else day_start + randint(0, max(0, limit - 1)) for t in times)
        day_sequence: dict[int, int] = {}
        for t0 in times:
            agency_id = choice(agency_ids)
            procedure = choice(by_agency[agency_id])
            kinds = procedure.applicant_types
            citizen = choice(citizens_of[kinds[0] if len(kinds) == 1 or random_() < 0.8 else kinds[1]] or citizens)
            steps = processes[procedure.id]
            agency = info[agency_code[agency_id]]
            units, staff = agency["units"], agency["staff"]
            sequence = day_sequence.get(agency_id, 0) + 1
            day_sequence[agency_id] = sequence
            code = f"{procedure.agency_code}-{code_day}-{sequence:04d}"
            did = next_id
            next_id += 1
            applicant = citizen.id
            name, id_number = names[applicant]
            receptionist = staff["receptionist"][0] if random_() < 0.4 else choice(staff["receptionist"])
            events = [(did, t0, applicant, "submit", 0, 1, "Nộp hồ sơ trực tuyến")]
            status = 1
            accepted = finished = returned = due = None
            desk_note = ""
            progress: tuple[Any, ...] = (0, None, None, None, None, None, None, None, None, 0, 0)
            updated = t0
            fate = random_()
            if now - t0 < backlog_ms and random_() < 0.9:
                fate = 1.0  # still at the desk
                ta = now + gd.DAY_MS
            else:
                ta = clock.instant(clock.pos(t0) + randint(1, 12) * 30 * gd.MINUTE_MS)
            if fate < 0.03:
                tw = t0 + randint(1, 48) * gd.HOUR_MS
                if tw <= now:
                    events.append((did, tw, applicant, "withdraw", 1, 7, choice(gd.WITHDRAW_NOTES)))
                    status, updated = 7, tw
            elif fate < 0.07:
                if ta <= now:
                    note = choice(gd.REFUSE_NOTES)
                    events.append((did, ta, receptionist, "refuse", 1, 3, note))
                    status, updated, desk_note = 3, ta, note
            else:
                if fate < 0.14 and ta <= now:
                    note = choice(gd.SUPPLEMENT_NOTES)
                    events.append((did, ta, receptionist, "requestSupplement", 1, 5, note))
                    status, updated, desk_note = 5, ta, note
                    answer = ta + randint(4, 7 * 24) * gd.HOUR_MS
                    if random_() < 0.1:
                        answer = now + gd.DAY_MS  # never answered (yet)
                    if answer <= now:
                        events.append((did, answer, applicant, "supplement", 5, 1, choice(gd.SUPPLEMENT_REPLIES)))
                        status, updated = 1, answer
                        ta = clock.instant(clock.pos(answer) + randint(1, 12) * 30 * gd.MINUTE_MS)
                    else:
                        ta = now + gd.DAY_MS
                if status == 1 and ta <= now:
                    # Accepted: the process runs in office time, step after step, cut at the present.
                    accepted, desk_note, updated = ta, "", ta
                    events.append((did, ta, receptionist, "accept", 1, 2, ""))
                    due = work.due(ta, procedure.processing_days)
                    status = 2
                    pos = clock.pos(ta)
                    due_pos = clock.pos(due)
                    last = len(steps) - 1
                    stop_at = randint(1, max(1, last - 2)) if random_() < 0.02 else None
                    pause_at = randint(1, max(1, last - 2)) if random_() < 0.015 else None
                    holder_of_prev = receptionist
                    revision = 1
                    for position, step in enumerate(steps):
                        role = step["role"]
                        unit_id = units.get(step["unit"])
                        start_pos = pos
                        step_due_pos = start_pos + step["halfDays"] * HALF_DAY
                        r = random_()
                        share = 0.1 + 0.6 * random_() if r < 0.7 else (0.7 + 0.3 * random_() if r < 0.92 else 1.0 + 0.6 * random_())
                        end_pos = start_pos + max(1, int(step["halfDays"] * HALF_DAY * share))
                        if position == 0:
                            receiver = receptionist
                        elif role == "processor":
                            receiver = staff["processor"][0] if random_() < 0.3 else choice(staff["processor"])
                        elif role == "leader":
                            receiver = staff["leader"][0] if random_() < 0.5 else choice(staff["leader"])
                        else:
                            receiver = staff["receptionist"][0] if random_() < 0.4 else choice(staff["receptionist"])
                        start = clock.instant(start_pos)
                        step_due = clock.instant(step_due_pos)
                        paused = None
                        if pause_at == position:
                            p_pos = start_pos + (end_pos - start_pos) // 3
                            p = clock.instant(p_pos)
                            if p <= now:
                                answer = p + randint(1, 10) * gd.DAY_MS
                                events.append((did, p, receiver, "requestSupplement", 4, 5, choice(gd.SUPPLEMENT_NOTES)))
                                status, updated, revision = 5, p, revision + 1
                                if answer > now:
                                    paused = p
                                else:
                                    shift = clock.pos(answer) - p_pos
                                    events.append((did, answer, applicant, "supplement", 5, 4, choice(gd.SUPPLEMENT_REPLIES)))
                                    status, updated = 4, answer
                                    step_due_pos += shift
                                    end_pos += shift
                                    due_pos += shift
                                    due = clock.instant(due_pos)
                                    step_due = clock.instant(step_due_pos)
                        end = clock.instant(end_pos)
                        # Processor steps wait unassigned in the unit, leader steps sometimes in the leaders' pool.
                        unassigned = (role == "processor" and random_() < 0.25) or (role == "leader" and random_() < 0.3) \
                            or position == last
                        if paused is not None or end > now:
                            # The dossier is at this step now.
                            holder = None if unassigned and position > 0 else receiver
                            if position == 0:
                                status = 2
                            elif position == last:
                                status = 9
                            elif paused is None:
                                status = 4
                            handover_rows.append((did, position, step["name"], unit_id, holder_of_prev if position else None,
                                                  holder, start, step_due, None, None, ""))
                            step_state = state(step_due) if paused is None else 0
                            due_state = state(due) if paused is None else 0
                            progress = (revision, process_json[procedure.id], position, role, unit_id, holder, start, step_due,
                                        paused, due_state, step_state)
                            if (agency_id == measured_agency and status == 4 and position >= 2
                                    and (showcase is None or showcase[0] < position)):
                                showcase = (position, did)
                            break
                        if stop_at == position:
                            leader = staff["leader"][0]
                            note = choice(gd.STOP_NOTES)
                            events.append((did, end, leader, "stop", 4, 8, note))
                            handover_rows.append((did, position, step["name"], unit_id, holder_of_prev if position else None,
                                                  receiver, start, step_due, end, judge(end, step_due, outcome_counts), ""))
                            status, updated, desk_note, revision = 8, end, note, revision + 1
                            progress = (revision, process_json[procedure.id], position, role, None, None, start, None, None, 0, 0)
                            break
                        handover_rows.append((did, position, step["name"], unit_id, holder_of_prev if position else None,
                                              receiver, start, step_due, end, judge(end, step_due, outcome_counts),
                                              choice(FORWARD_NOTES) if position else ""))
                        if position < last - 1:
                            events.append((did, end, receiver, "forward", 2 if position == 0 else 4, 4, ""))
                            if role != "leader" and steps[position + 1]["role"] == "processor":
                                events.append((did, end + randint(5, 120) * gd.MINUTE_MS, staff["processor"][0], "assign", 4, 4, ""))
                                revision += 1
                        elif position == last - 1:
                            events.append((did, end, receiver, "finish", 4, 9, ""))
                            finished = end
                            sha, size = choice(pdfs)
                            attachment_rows.append((did, 0, sha, size, "application/pdf", "ket-qua-giai-quyet.pdf",
                                                    end - randint(10, 600) * gd.MINUTE_MS, "result"))
                        else:
                            events.append((did, end, receiver, "returnResult", 9, 10, ""))
                            returned = end
                            status = 10
                            progress = (revision + 1, process_json[procedure.id], position, role, None, None, start, None,
                                        None, 0, 0)
                        revision += 1
                        updated = end
                        holder_of_prev = receiver
                        pos = end_pos
            status_counts[status] = status_counts.get(status, 0) + 1
            delivery = choice(procedure.delivery) if procedure.delivery else None
            created = t0 - randint(5, 180) * gd.MINUTE_MS
            dossier_rows.append((did, code, procedure.id, agency_id, applicant, status, 2, choice(gd.SUMMARIES),
                                 choice(procedure.value_variants), delivery, citizen.address if delivery == "post" else None,
                                 created, updated, t0, due, accepted, finished, returned, desk_note)
                                + progress + (name, id_number))
            for position, mandatory, formats in procedure.documents:
                if mandatory:
                    sha, size = choice(pdfs) if "pdf" in formats else choice(jpgs)
                    display = gd.DOCUMENT_NAMES[position % len(gd.DOCUMENT_NAMES)] if "pdf" in formats else f"anh-{position + 1}.jpg"
                    attachment_rows.append((did, position, sha, size, "application/pdf" if "pdf" in formats else "image/jpeg",
                                            display, created + randint(1, 4) * gd.MINUTE_MS, "applicant"))
            event_rows.extend(events)
            counts["dossiers"] += 1
            if len(dossier_rows) >= gd.BATCH_DOSSIERS:
                flush()
        for agency_id, last_value in day_sequence.items():
            sequences.append((agency_id, code_day, last_value))
        if args.progress and index % 60 == 59:
            print(f"  {counts['dossiers']:,} dossiers, {time.monotonic() - started:.0f} s", file=sys.stderr)
    flush()
    store.insert("dossier_sequences", ("agency_id", "day", "last_value"), sequences)

    # Tokens for every staff account of the measured agency.
    token_rows, staff_tokens = [], []
    for uid, email, role in store.query(f"""
            SELECT u.id, u.email, u.role FROM users u JOIN agencies a ON a.id = u.agency_id
            WHERE u.kind = 'staff' AND a.code = {quote(args.agency)} ORDER BY u.id"""):
        token = gd.new_token()
        token_rows.append((int(uid), "benchmark", gd.sha256_hex(token), now))
        staff_tokens.append({"id": int(uid), "email": str(email), "role": str(role), "token": token})
    store.insert("api_tokens", ("user_id", "name", "token_hash", "created_at"), token_rows)
    store.commit()
    load_done = time.monotonic()
    store.end_load()
    finished_at = time.monotonic()

    demo = info[args.agency]["demo"]
    rows = sum(counts.values()) + len(sequences) + len(token_rows)
    return {
        "password": args.password,
        "agency": args.agency,
        "staff": staff_tokens,
        "demo": {role: next((s for s in staff_tokens if s["id"] == uid), None) for role, uid in demo.items()},
        "showcaseDossier": showcase[1] if showcase else None,
        "processesMade": made_processes,
        "units": {code: a["units"] for code, a in info.items()},
        "counts": {**counts, "sequences": len(sequences), "tokens": len(token_rows),
                   "byStatus": {str(k): v for k, v in sorted(status_counts.items())}, "outcomes": outcome_counts},
        "seconds": round(finished_at - started, 1),
        "indexSeconds": round(finished_at - load_done, 1),
        "rows": rows,
        "rowsPerSecond": round(rows / (finished_at - started)),
    }


def judge(finished: int, due: int, tally: dict[str, int]) -> str:
    """StepOutcome.judge: late after the due moment, early on an earlier (Vietnamese) day, else on time."""
    if finished > due:
        outcome = "late"
    elif (finished + gd.VN_OFFSET_MS) // gd.DAY_MS < (due + gd.VN_OFFSET_MS) // gd.DAY_MS:
        outcome = "early"
    else:
        outcome = "on_time"
    tally[outcome] = tally.get(outcome, 0) + 1
    return outcome


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", type=Path, help="SQLite data dir (motcua.sqlite, files/)")
    target.add_argument("--database-url", help="postgres://… (rows by psql COPY); use --files-dir for the file pool")
    parser.add_argument("--files-dir", type=Path, help="with --database-url: the data dir's files/ folder")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=10_000, help="citizen accounts")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--agency", default="000.00.07.H52", help="the agency whose staff the benchmark measures (tokens)")
    parser.add_argument("--password", default=gd.DEFAULT_PASSWORD, help="password of every bench account and demo staff")
    parser.add_argument("--password-hash", help="bcrypt hash of --password (else made by `motcua create-user`)")
    parser.add_argument("--motcua-bin", help="motcua binary, for create-user")
    parser.add_argument("--desk-backlog", type=int, default=10_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()
    return args  # gd.password_hash reads password_hash, motcua_bin, data_dir, database_url and password


def main() -> None:
    args = parse_args()
    result = generate(args)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    c = result["counts"]
    print(f"gen_processing: {c['dossiers']:,} dossiers, {c['handovers']:,} hand-overs, {c['events']:,} events, "
          f"{c['attachments']:,} attachments, {c['users']:,} citizens in {result['seconds']} s "
          f"(indexes {result['indexSeconds']} s): {result['rowsPerSecond']:,} rows/s; by status {c['byStatus']}; "
          f"outcomes {c['outcomes']}")


if __name__ == "__main__":
    main()
