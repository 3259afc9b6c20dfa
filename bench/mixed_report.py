"""Summarises one run of bench/mixed.sh: requests/s and p50/p99 per request type, errors, the servers'
memory, and the consistency of the database after the load. Standard library only.

    python3 bench/mixed_report.py --samples DIR --wrk WRK_OUTPUT --duration S --connections N \
        --memory LABEL=FILE [--memory ...] (--sqlite DB | --pg-dump DIR) --setup-dossiers K \
        [--cpu LABEL=MS ...] [--note TEXT ...] --out results.md [--json results.json]

DIR holds bench/mixed.lua's t*.tsv files; WRK_OUTPUT is wrk's own output (its socket errors and run time);
each memory FILE has lines "SECONDS VmRSS_kB VmHWM_kB" sampled from /proc/PID/status (the first line
before the load). Each --cpu gives the CPU time (ms) a part used during the load (portal processes,
PostgreSQL, nginx, wrk); the report divides it by the requests. The database is read directly (SQLite, read-only) or from two files psql wrote into
DIR: codes.txt ("code|status" per submitted dossier) and sequences.txt ("agency|day|last_value").

Checks, each a failure when broken:
- no errors: no answer with another status than expected or without what the next step needed, no socket
  errors (wrk) and no lost answers;
- dossier codes: none repeated; per agency and day exactly 0001..N with N the day's sequence value;
  every code the load was given is in the database;
- submissions and desk decisions: as many in the database as the load saw answered (up to the requests
  still in flight when wrk stopped, at most one per connection of that kind).

Writes the Markdown report to --out and prints it; the last line is
`mixed load: N requests, E errors, X req/s, ...`. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

KIND_ORDER = ["catalog search page", "procedure page", "search API", "lookup page", "lookup API", "login page",
              "login (POST, bcrypt)", "account page (signed in)", "logout (POST)", "submission: create draft",
              "submission: upload PDF", "submission: submit", "desk: queue (status 1)", "desk: accept"]


@dataclass
class Samples:
    latencies: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lost: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_lines: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    roles: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def read_samples(directory: Path) -> Samples:
    s = Samples()
    files = sorted(directory.glob("t*.tsv"))
    if not files:
        raise SystemExit(f"mixed_report.py: no samples in {directory} (did wrk run?)")
    for path in files:
        for line in path.read_text(errors="replace").splitlines():
            parts = line.split("\t")
            tag = parts[0]
            if tag == "S" and len(parts) == 5:
                s.latencies[parts[1]].append(int(parts[2]))
                if parts[4] != "1":
                    s.errors[parts[1]] += 1
            elif tag == "E":
                s.error_lines.append(" | ".join(parts[1:]))
            elif tag == "L":
                s.lost[parts[1]] += 1
            elif tag == "C":
                s.codes.append(parts[1])
            elif tag == "A":
                s.accepted.append(parts[1])
            elif tag == "R":
                s.roles[parts[1]] += 1
    return s


def percentile(sorted_values: list[int], p: float) -> float:
    """Nearest-rank percentile, in ms."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-p * len(sorted_values) // 100))))
    return sorted_values[rank - 1] / 1000


def wrk_figures(path: Path) -> tuple[int, float, int]:
    """(requests, seconds, socket errors) from wrk's output."""
    text = path.read_text(errors="replace")
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise SystemExit(f"mixed_report.py: cannot read wrk's output {path}:\n{text[-2000:]}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(3)]
    socket_errors = 0
    se = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if se:
        socket_errors = sum(int(g) for g in se.groups())
    return int(m.group(1)), float(m.group(2)) * scale, socket_errors


def memory(path: Path) -> tuple[float, float, float, float]:
    """(RSS before the load, peak sampled RSS, RSS at the end, VmHWM at the end), in MB."""
    rows = [tuple(int(x) for x in line.split()[1:3]) for line in path.read_text().splitlines() if line.strip()]
    if not rows:
        return (float("nan"),) * 4  # type: ignore[return-value]
    return rows[0][0] / 1024, max(r[0] for r in rows) / 1024, rows[-1][0] / 1024, rows[-1][1] / 1024


def database(args: argparse.Namespace) -> tuple[list[tuple[str, int]], dict[tuple[str, str], int]]:
    """([(code, status)], {(agency, day): last_value})."""
    if args.sqlite:
        db = sqlite3.connect(f"file:{args.sqlite}?mode=ro", uri=True)
        codes = [(c, int(st)) for c, st in db.execute("SELECT code, status FROM dossiers WHERE code IS NOT NULL")]
        seqs = {(a, d): int(v) for a, d, v in db.execute(
            "SELECT a.code, s.day, s.last_value FROM dossier_sequences s JOIN agencies a ON a.id = s.agency_id")}
        db.close()
        return codes, seqs
    dump = Path(args.pg_dump)
    codes = []
    for line in (dump / "codes.txt").read_text().splitlines():
        if line.strip():
            code, status = line.split("|")
            codes.append((code, int(status)))
    seqs = {}
    for line in (dump / "sequences.txt").read_text().splitlines():
        if line.strip():
            agency, day, last = line.split("|")
            seqs[(agency, day)] = int(last)
    return codes, seqs


def code_problems(codes: list[tuple[str, int]], seqs: dict[tuple[str, str], int], given: list[str]) -> list[str]:
    problems = []
    seen: dict[str, int] = defaultdict(int)
    for code, _ in codes:
        seen[code] += 1
    dups = [c for c, n in seen.items() if n > 1]
    if dups:
        problems.append(f"{len(dups)} dossier codes repeated, e.g. {dups[:3]}")
    per_day: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code in seen:
        m = re.fullmatch(r"(.+)-(\d{6})-(\d{4,})", code)
        if not m:
            problems.append(f"malformed code {code}")
            continue
        per_day[(m.group(1), m.group(2))].append(int(m.group(3)))
    for key, numbers in sorted(per_day.items()):
        numbers.sort()
        if numbers != list(range(1, len(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            problems.append(f"{key[0]} day {key[1]}: codes not consecutive from 0001 "
                            f"({len(numbers)} codes, highest {max(numbers)}, missing e.g. {missing[:5]})")
        if seqs.get(key) != len(numbers):
            problems.append(f"{key[0]} day {key[1]}: sequence at {seqs.get(key)} but {len(numbers)} codes")
    repeated_given = len(given) - len(set(given))
    if repeated_given:
        problems.append(f"the load was given {repeated_given} codes twice")
    absent = [c for c in set(given) if c not in seen]
    if absent:
        problems.append(f"{len(absent)} codes given to the load are not in the database, e.g. {absent[:3]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--wrk", required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--memory", action="append", default=[])
    parser.add_argument("--sqlite")
    parser.add_argument("--pg-dump")
    parser.add_argument("--setup-dossiers", type=int, required=True)
    parser.add_argument("--accepted-before", type=int, default=0, help="dossiers in status 2 before the load (a preloaded database)")
    parser.add_argument("--title", default="Mixed load")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--cpu", action="append", default=[], help="LABEL=MS: CPU time of a part during the load")
    parser.add_argument("--out", required=True)
    parser.add_argument("--json", help="also write the figures here (JSON)")
    args = parser.parse_args()

    s = read_samples(Path(args.samples))
    wrk_requests, seconds, socket_errors = wrk_figures(Path(args.wrk))
    lost = sum(s.lost.values())
    status_errors = sum(s.errors.values())
    errors = status_errors + max(lost, socket_errors)
    total = sum(len(v) for v in s.latencies.values())
    failures: list[str] = []
    if errors:
        failures.append(f"{errors} errors ({status_errors} unexpected answers, {socket_errors} socket errors, {lost} lost)")

    codes, seqs = database(args)
    bad_codes = code_problems(codes, seqs, s.codes)
    failures += bad_codes
    submitted_db = len(codes) - args.setup_dossiers
    submit_conns = s.roles.get("submit", 0)
    if not len(s.codes) <= submitted_db <= len(s.codes) + submit_conns:
        failures.append(f"{submitted_db} dossiers submitted during the load in the database, the load saw {len(s.codes)}")
    accepted_db = sum(1 for _, st in codes if st == 2) - args.accepted_before
    desk_conns = s.roles.get("desk", 0)
    if len(set(s.accepted)) != len(s.accepted):
        failures.append("a dossier was accepted twice")
    if not len(s.accepted) <= accepted_db <= len(s.accepted) + desk_conns:
        failures.append(f"{accepted_db} dossiers accepted (status 2) in the database, the load saw {len(s.accepted)}")

    kinds = [k for k in KIND_ORDER if k in s.latencies] + sorted(k for k in s.latencies if k not in KIND_ORDER)
    lines = [f"# {args.title}", ""]
    lines += [f"- {n}" for n in args.note]
    roles = ", ".join(f"{r} {n}" for r, n in s.roles.items())
    lines += [f"- {args.connections} connections ({roles}), {seconds:.1f} s; wrk counted {wrk_requests} requests", ""]
    lines += ["| request | requests | req/s | p50 (ms) | p99 (ms) | max (ms) | errors |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for kind in kinds:
        values = sorted(s.latencies[kind])
        lines.append(f"| {kind} | {len(values)} | {len(values) / seconds:.1f} | {percentile(values, 50):.2f} | "
                     f"{percentile(values, 99):.2f} | {values[-1] / 1000:.1f} | {s.errors[kind] + s.lost[kind]} |")
    every = sorted(v for vs in s.latencies.values() for v in vs)
    lines.append(f"| **all** | {total} | {total / seconds:.1f} | {percentile(every, 50):.2f} | "
                 f"{percentile(every, 99):.2f} | {every[-1] / 1000 if every else 0:.1f} | {errors} |")
    lines += ["", f"errors: {status_errors} answers with another status than expected or without what the next step "
              f"needed, {socket_errors} socket errors (wrk), {lost} requests without an answer.", ""]
    cpu = []
    for item in args.cpu:
        label, _, ms = item.partition("=")
        cpu.append((label, float(ms)))
    if cpu:
        lines += ["| part | CPU during the load (s) | CPU ms per request |", "|---|---:|---:|"]
        for label, ms in cpu:
            lines.append(f"| {label} | {ms / 1000:.2f} | {ms / total if total else 0:.3f} |")
        lines.append(f"| **all** | {sum(ms for _, ms in cpu) / 1000:.2f} | "
                     f"{sum(ms for _, ms in cpu) / total if total else 0:.3f} |")
        lines.append("")
    peaks = []
    memory_figures = {}
    if args.memory:
        lines += ["| process | RSS before the load (MB) | peak RSS sampled (MB) | RSS at the end (MB) | VmHWM (MB) |",
                  "|---|---:|---:|---:|---:|"]
        for item in args.memory:
            label, _, path = item.partition("=")
            before, peak, end, hwm = memory(Path(path))
            peaks.append(f"{label} {hwm:.0f} MB")
            memory_figures[label] = {"before": before, "peak": peak, "end": end, "hwm": hwm}
            lines.append(f"| {label} | {before:.1f} | {peak:.1f} | {end:.1f} | {hwm:.1f} |")
        lines.append("")
    lines.append(f"Database after the load: {len(codes)} submitted dossiers ({args.setup_dossiers} filed before the load, "
                 f"{len(s.codes)} submissions answered during it), {accepted_db} accepted (the desk saw {len(s.accepted)}); "
                 f"codes unique and consecutive per agency and day: {'no' if bad_codes else 'yes'}.")
    if s.error_lines:
        lines += ["", "First errors:", ""] + [f"- {e}" for e in s.error_lines[:10]]
    if failures:
        lines += ["", "FAILED:", ""] + [f"- {f}" for f in failures]
    report = "\n".join(lines) + "\n"
    Path(args.out).write_text(report)
    if args.json:
        import json
        kinds_figures = {}
        for kind in kinds:
            values = sorted(s.latencies[kind])
            kinds_figures[kind] = {"requests": len(values), "rps": len(values) / seconds, "p50": percentile(values, 50),
                                   "p99": percentile(values, 99), "errors": s.errors[kind] + s.lost[kind]}
        Path(args.json).write_text(json.dumps({
            "seconds": seconds, "requests": total, "rps": total / seconds if seconds else 0,
            "p50": percentile(every, 50) if every else None, "p99": percentile(every, 99) if every else None,
            "errors": errors, "kinds": kinds_figures, "cpuMs": dict(cpu),
            "cpuMsPerRequest": {label: (ms / total if total else None) for label, ms in cpu},
            "memoryMB": memory_figures, "failures": failures}, ensure_ascii=False, indent=1))
    print(report)
    print(f"mixed load: {total} requests, {errors} errors, {total / seconds:.0f} req/s, p50 {percentile(every, 50):.1f} ms, "
          f"p99 {percentile(every, 99):.1f} ms, peak memory {', '.join(peaks) or 'n/a'}, "
          f"{len(s.codes)} submissions, {len(s.accepted)} desk decisions"
          + ("" if not failures else f", {len(failures)} checks FAILED"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
