"""Backup and restore: every acknowledged submission survives `motcua backup` + `motcua restore`.

    python tests/durability/backup_restore.py --bin MOTCUA --work DIR [--database-url URL] [--offline]

Runs after kill_loop.py on the same DIR: reads DIR/state.json (the citizens' tokens and every acknowledged
submission) and the data it left (DIR/data, and the database of DATABASE_URL for PostgreSQL).

1. Starts the server on that data again and, unless --offline, keeps the citizens filing dossiers while
   `motcua backup --data-dir DIR/data --output DIR/backup` runs (a backup must be consistent under writes);
   with --offline the server is stopped first.
2. Stops the load and the server, then `motcua restore --input DIR/backup --data-dir DIR/restored` into a
   fresh directory (PostgreSQL: DATABASE_URL of a fresh database, created here with psql on the same
   server and dropped at the end).
3. Starts a server on the restored copy and checks every submission acknowledged before the backup began
   (checks.verify_over_api: code, status, submit event, each file downloaded and its SHA-256 compared),
   stops it, and checks the restored database and files dir (checks.check_storage: no half-written
   dossier, every referenced file present with its hash, no duplicate code, and no orphan: the restored
   files/ holds what the restored rows name and nothing else — not the kill loop's orphans and temp
   files, not the files of uploads after the database snapshot).
4. Tries a second restore into the now non-empty target and reports whether it was refused (a note).

The last line: `backup/restore: N acknowledged submissions intact in the restored copy, 0 lost, …`.
Exit status 1 when a submission acknowledged before the backup is missing or damaged in the restored copy,
anything is half-written, a file is orphaned, a code repeats, or a command fails; 2 when the harness itself
failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from checks import Findings, check_storage, verify_over_api
from harness import (Citizen, Database, HarnessError, Server, Submission, load_state, psql_exec, stop_on_sigterm,
                     with_database)
from kill_loop import Shared, Worker


def run_command(binary: Path, args: list[str], database_url: str | None, log: Path, timeout: float = 600) -> float:
    """Runs `motcua ARGS` with DATABASE_URL (or none); its output goes to `log`. Returns the seconds taken."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    t0 = time.monotonic()
    with log.open("ab") as out:
        out.write(f"\n===== {' '.join(args)} =====\n".encode())
        out.flush()
        done = subprocess.run([str(binary), *args], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env=env, timeout=timeout)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise CommandFailed(f"`motcua {' '.join(args)}` exited with status {done.returncode}\n{tail}")
    return time.monotonic() - t0


class CommandFailed(Exception):
    """A backup or restore command failed: a finding, not a harness problem."""


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1_048_576


def take_backup(args: argparse.Namespace, source: Server, citizens: list[Citizen],
                acknowledged: list[Submission]) -> tuple[list[Submission], int, float]:
    """The backup, under load unless --offline; returns the submissions acknowledged before it began,
    how many more were acknowledged while it ran, and its duration."""
    backup_dir = args.work / "backup"
    command = ["backup", "--data-dir", str(source.data_dir), "--output", str(backup_dir)]
    if args.offline:
        return acknowledged, 0, run_command(args.bin, command, source.database_url, args.work / "backup.log")
    shared = Shared()
    shared.up.set()
    workers = [Worker(i, source.url, c, shared) for i, c in enumerate(citizens)]
    for w in workers:
        w.start()
    try:
        time.sleep(1.0)  # the load is on before the backup starts
        with shared.lock:
            warm_up = list(shared.acknowledged)
        took = run_command(args.bin, command, source.database_url, args.work / "backup.log")
        with shared.lock:
            during = len(shared.acknowledged) - len(warm_up)
    finally:
        shared.stop.set()
        for w in workers:
            w.join(60)
    if shared.errors:
        raise CommandFailed("error answers while the backup ran:\n  " + "\n  ".join(shared.errors[:10]))
    return acknowledged + warm_up, during, took


def restore_and_check(args: argparse.Namespace, citizens: list[Citizen], subs: list[Submission],
                      restore_url: str | None) -> tuple[Findings, float, str]:
    target = args.work / "restored"
    took = run_command(args.bin, ["restore", "--input", str(args.work / "backup"), "--data-dir", str(target)],
                       restore_url, args.work / "restore.log")
    server = Server(args.bin, target, args.work / "restored-server.log", restore_url)
    server.start()
    try:
        found = verify_over_api(server.url, citizens, subs)
    finally:
        server.stop()
    # The restored store holds what its rows name, nothing more: the kill loop's orphans and temp files,
    # and files uploaded after the database snapshot, stay behind.
    found.merge(check_storage(Database(target, restore_url), server.files_root, subs))
    # Restoring over existing data must not happen silently.
    try:
        run_command(args.bin, ["restore", "--input", str(args.work / "backup"), "--data-dir", str(target)],
                    restore_url, args.work / "restore-again.log", timeout=120)
        again = "!! a second restore into the non-empty target was accepted"
    except CommandFailed:
        again = "a second restore into the non-empty target was refused"
    return found, took, again


def conduct(args: argparse.Namespace) -> int:
    database, citizens, acknowledged, _ = load_state(args.work / "state.json")
    database_url = args.database_url or None
    if (database == "postgres") != bool(database_url):
        raise HarnessError(f"state.json is from a {database} run: pass the same DATABASE_URL as the kill loop")
    source = Server(args.bin, args.work / "data", args.work / "server.log", database_url)
    source.start()
    try:
        before, during, backup_took = take_backup(args, source, citizens, acknowledged)
    finally:
        source.stop()
    restore_db = f"motcua_restore_{os.getpid()}"
    restore_url = with_database(database_url, restore_db) if database_url else None
    if database_url:
        psql_exec(database_url, f'CREATE DATABASE "{restore_db}"')
    try:
        found, restore_took, again = restore_and_check(args, citizens, before, restore_url)
    finally:
        if database_url:
            psql_exec(database_url, f'DROP DATABASE IF EXISTS "{restore_db}"')
    for line in found.report():
        print(line)
    print(f"-- {again}")
    size = du_mb(args.work / "backup")
    mode = "offline" if args.offline else f"under load, {during} more acknowledged while it ran"
    print(f"-- backup {backup_took:.1f} s ({mode}), {size:.1f} MB; restore {restore_took:.1f} s")
    orphans = len(found.orphans) + len(found.temp_leftovers)
    bad = len(found.lost) + len(found.half_written) + len(found.duplicate_codes) + orphans
    print(f"backup/restore: {len(before) - len(found.lost)} of {len(before)} acknowledged submissions intact in the "
          f"restored copy, {len(found.lost)} lost, {len(found.half_written)} half-written, {orphans} orphans, "
          f"{len(found.duplicate_codes)} duplicate codes")
    return 1 if bad or not before else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", type=Path, required=True, help="the motcua binary")
    p.add_argument("--work", type=Path, required=True, help="the kill loop's work dir (state.json, data/)")
    p.add_argument("--database-url", default="", help="the kill loop's PostgreSQL URL (default: SQLite)")
    p.add_argument("--offline", action="store_true", help="back up with the server stopped, not under load")
    args = p.parse_args()
    stop_on_sigterm()  # SIGTERM: KeyboardInterrupt, so the finally blocks stop the server
    try:
        sys.exit(conduct(args))
    except CommandFailed as e:
        print(f"!! {e}")
        print("backup/restore: FAILED (a command failed)")
        sys.exit(1)
    except HarnessError as e:
        print(f"backup/restore: harness failed: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
