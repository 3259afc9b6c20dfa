"""The durability checks, shared by kill_loop.py and backup_restore.py; not run on its own.

- `verify_over_api`: each acknowledged submission is there for its owner (GET /api/v1/dossiers/{id}),
  status >= 1, the same code, a "submit" event, exactly the files uploaded (download, SHA-256 compared).
- `check_storage`: on the database and the files dir (the server idle or stopped): no half-written
  dossier (submitted without code, date, "submit" event or any file), every row that names a stored
  file (any table with a `sha256` column) has that file under files/objects/ with that hash, no orphan
  file there, no leftover in files/tmp/, no duplicate dossier code; every acknowledged submission's
  row has its code and status >= 1 and an attachment row for each uploaded file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from harness import TIMEOUT, Citizen, Database, Submission


@dataclass
class Findings:
    lost: dict[int, list[str]] = field(default_factory=dict)  # acknowledged dossier id -> what is wrong
    half_written: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # files in objects/ nothing refers to
    orphan_names: set[str] = field(default_factory=set)  # their names (SHA-256)
    temp_leftovers: list[str] = field(default_factory=list)  # files in tmp/
    duplicate_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lose(self, dossier_id: int, what: str) -> None:
        self.lost.setdefault(dossier_id, []).append(what)

    def merge(self, other: Findings) -> None:
        for k, v in other.lost.items():
            self.lost.setdefault(k, []).extend(v)
        self.half_written += other.half_written
        self.orphans += other.orphans
        self.orphan_names |= other.orphan_names
        self.temp_leftovers += other.temp_leftovers
        self.duplicate_codes += other.duplicate_codes
        self.notes += other.notes

    def report(self, limit: int = 15) -> list[str]:
        lines = []
        for title, items in (
            ("LOST (acknowledged, not intact)", [f"dossier {k}: {'; '.join(v)}" for k, v in sorted(self.lost.items())]),
            ("HALF-WRITTEN", self.half_written),
            ("DUPLICATE CODES", self.duplicate_codes),
            ("ORPHAN FILES in files/objects/", self.orphans),
            ("LEFTOVER TEMP FILES in files/tmp/", self.temp_leftovers),
        ):
            if items:
                lines.append(f"!! {title}: {len(items)}")
                lines += [f"   {i}" for i in items[:limit]]
                if len(items) > limit:
                    lines.append(f"   … and {len(items) - limit} more")
        lines += [f"-- {n}" for n in self.notes]
        return lines


def verify_over_api(base: str, citizens: list[Citizen], submissions: list[Submission]) -> Findings:
    """Reads every submission back as its owner and downloads every file."""
    found = Findings()
    session = requests.Session()
    for sub in submissions:
        headers = citizens[sub.citizen].headers()
        try:
            _verify_one(session, base, headers, sub, found)
        except requests.RequestException as e:
            found.lose(sub.dossier_id, f"request failed: {e}")
    return found


def _verify_one(session: requests.Session, base: str, headers: dict, sub: Submission, found: Findings) -> None:
    r = session.get(f"{base}/api/v1/dossiers/{sub.dossier_id}", headers=headers, timeout=TIMEOUT)
    if r.status_code != 200:
        found.lose(sub.dossier_id, f"GET answered {r.status_code}")
        return
    d = r.json()
    if d.get("code") != sub.code:
        found.lose(sub.dossier_id, f"code {d.get('code')!r}, acknowledged {sub.code!r}")
    if not isinstance(d.get("status"), int) or d["status"] < 1:
        found.lose(sub.dossier_id, f"status {d.get('status')!r}")
    if not any(e.get("action") == "submit" for e in d.get("history", [])):
        found.lose(sub.dossier_id, "no submit event in its history")
    files = [f for f in d.get("files", []) if f.get("kind", "applicant") == "applicant"]
    if len(files) != len(sub.files):
        found.lose(sub.dossier_id, f"{len(files)} files, {len(sub.files)} uploaded")
    unmatched = list(files)
    for doc in sub.files:
        candidates = [f for f in unmatched if f.get("documentPosition") == doc.position and f.get("size") == doc.size]
        if not candidates:
            found.lose(sub.dossier_id, f"no file of {doc.size} bytes for document {doc.position}")
            continue
        # Several candidates would be the same size by chance: the right one is the one with the right hash.
        for f in candidates:
            got = session.get(base + f["downloadUrl"], headers=headers, timeout=TIMEOUT)
            if got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == doc.sha256:
                unmatched.remove(f)
                break
        else:
            found.lose(sub.dossier_id,
                       f"document {doc.position}: download missing or SHA-256 differs from {doc.sha256[:12]}…")


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_storage(db: Database, files_root: Path, submissions: list[Submission], orphans_fail: bool = True) -> Findings:
    """Database and files dir; run it with no request in flight."""
    found = Findings()
    _check_dossiers(db, found)
    referenced = _check_referenced_files(db, files_root, found)
    _check_files_on_disk(files_root, referenced, found, orphans_fail)
    _check_acknowledged_rows(db, submissions, found)
    return found


def _check_dossiers(db: Database, found: Findings) -> None:
    for (did, code, submitted) in db.rows(
            "SELECT id, code, submitted_at FROM dossiers WHERE status >= 1 AND (code IS NULL OR submitted_at IS NULL)"):
        found.half_written.append(
            f"dossier {did}: submitted without code or date (code {code!r}, submitted_at {submitted!r})")
    for (did,) in db.rows(
            "SELECT d.id FROM dossiers d WHERE d.status >= 1 AND NOT EXISTS "
            "(SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id AND e.action = 'submit')"):
        found.half_written.append(f"dossier {did}: submitted without its 'submit' history event")
    for (did,) in db.rows(
            "SELECT d.id FROM dossiers d WHERE d.status >= 1 AND NOT EXISTS "
            "(SELECT 1 FROM dossier_attachments a WHERE a.dossier_id = d.id)"):
        found.half_written.append(f"dossier {did}: submitted without any file")
    for (code, n) in db.rows(
            "SELECT code, COUNT(*) FROM dossiers WHERE code IS NOT NULL GROUP BY code HAVING COUNT(*) > 1"):
        found.duplicate_codes.append(f"{code} on {n} dossiers")


def _check_referenced_files(db: Database, files_root: Path, found: Findings) -> set[str]:
    """Every row naming a stored file (all tables with a sha256 column) has it, complete."""
    tables = db.tables_with_column("sha256")
    if "dossier_attachments" not in tables:
        raise AssertionError(f"no dossier_attachments.sha256 column (tables with sha256: {tables})")
    referenced: set[str] = set()
    checked: dict[str, str | None] = {}
    for table in tables:
        # A receipt's PDF is drawn on first download: until then its row names no file.
        for (key, sha) in db.rows(f"SELECT {_key_column(table)}, sha256 FROM {table} WHERE sha256 IS NOT NULL"):
            referenced.add(sha)
            if sha not in checked:
                path = files_root / "objects" / sha[:2] / sha[2:4] / sha
                checked[sha] = _file_hash(path) if path.is_file() else None
            if checked[sha] != sha:
                what = "missing" if checked[sha] is None else f"has SHA-256 {checked[sha]}"
                found.half_written.append(f"{table} row {key}: file {sha[:12]}… {what}")
    found.notes.append(f"{len(referenced)} stored files referenced from {', '.join(tables)}")
    return referenced


def _key_column(table: str) -> str:
    return "dossier_id || ':' || id" if table == "dossier_attachments" else "id"


def _check_files_on_disk(files_root: Path, referenced: set[str], found: Findings, orphans_fail: bool) -> None:
    objects = files_root / "objects"
    on_disk = [p for p in objects.rglob("*") if p.is_file()] if objects.is_dir() else []
    orphans = []
    for p in on_disk:
        if p.name not in referenced:
            orphans.append(f"objects/{p.relative_to(objects)} ({p.stat().st_size} bytes)")
            if orphans_fail:
                found.orphan_names.add(p.name)
        elif p.parent.name != p.name[2:4] or p.parent.parent.name != p.name[:2]:
            found.half_written.append(f"objects/{p.relative_to(objects)}: in the wrong directory")
    if orphans_fail:
        found.orphans += orphans
    elif orphans:
        found.notes.append(f"{len(orphans)} unreferenced files in objects/ (tolerated here)")
    tmp = files_root / "tmp"
    if tmp.is_dir():
        found.temp_leftovers += [f"tmp/{p.name} ({p.stat().st_size} bytes)" for p in tmp.iterdir()]
    # Anything else in files/ is unexpected.
    for p in files_root.iterdir() if files_root.is_dir() else []:
        if p.name not in ("objects", "tmp"):
            found.orphans.append(f"{p.name} (unexpected entry in files/)")


def _check_acknowledged_rows(db: Database, submissions: list[Submission], found: Findings) -> None:
    rows = {int(r[0]): (r[1], int(r[2])) for r in db.rows("SELECT id, code, status FROM dossiers")}
    attached: dict[int, set[tuple[int, str]]] = {}
    for (did, position, sha) in db.rows("SELECT dossier_id, document_position, sha256 FROM dossier_attachments"):
        attached.setdefault(int(did), set()).add((int(position) + 1, sha))  # 0-based in the database
    for sub in submissions:
        row = rows.get(sub.dossier_id)
        if row is None:
            found.lose(sub.dossier_id, "no row in dossiers")
            continue
        if row[0] != sub.code or row[1] < 1:
            found.lose(sub.dossier_id, f"row has code {row[0]!r} status {row[1]}, acknowledged {sub.code!r}")
        for doc in sub.files:
            if (doc.position, doc.sha256) not in attached.get(sub.dossier_id, set()):
                found.lose(sub.dossier_id, f"no attachment row for document {doc.position} ({doc.sha256[:12]}…)")
    codes = Counter(s.code for s in submissions)
    for code, n in codes.items():
        if n > 1:
            found.duplicate_codes.append(f"{code} acknowledged for {n} different submissions")
