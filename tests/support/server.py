"""Running a real `motcua serve` (or another local server) from a Python suite: the one copy of each helper
that tests/browser/conftest.py, tests/security/conftest.py and tests/durability/harness.py share.

- `free_port()`: a TCP port on 127.0.0.1 that is free right now.
- `wait_ready(proc, url, ...)`: waits until GET url/readyz answers 200 (False if `proc` exits or time is up).
- `stop(proc, seconds)`: SIGTERM to the process by its PID, SIGKILL after `seconds`.
- `start_on_free_port(argv_for, log, ready, ...)`: starts a server on a free port, a few tries (a free port can
  be taken between choosing and binding it); `start_serve(...)` is that for `motcua serve`.
- `motcua_bin(*candidates)`: MOTCUA_BIN, else the first candidate build that exists.
- `log_tail(path, lines)`: the end of a server log.
- `DemoLogin`, `read_demo_logins(log, into)`: the demo staff accounts a server printed on its first start.
- `stop_on_sigterm()`: SIGTERM raises KeyboardInterrupt, which pytest turns into an orderly stop that still
  runs fixture teardown (the server, Chromium), and which runs a script's `finally` blocks (its server stopped).

Standard library only: the durability tests run it outside pytest.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, url: str, seconds: float | None = None, *, deadline: float | None = None,
               interval: float = 0.2) -> bool:
    """True once GET url + "/readyz" answers 200; False when `proc` exits first or time runs out (`seconds`
    from now, or the time.monotonic() `deadline`). Polls every `interval` seconds, 2 s per request."""
    if deadline is None:
        deadline = time.monotonic() + (seconds if seconds is not None else 60)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            pass  # not listening yet, or not ready (503)
        time.sleep(interval)
    return False


def stop(proc: subprocess.Popen, seconds: float = 10) -> None:
    """Graceful stop (SIGTERM) by the PID, SIGKILL after `seconds`; nothing when it has exited."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def start_on_free_port(argv_for: Callable[[int], list[str]], log: Path,
                       ready: Callable[[subprocess.Popen, int], bool], env: dict[str, str] | None = None,
                       tries: int = 3) -> tuple[subprocess.Popen, int] | None:
    """Starts argv_for(port) on a free port, its output appended to `log`, until ready(proc, port) says so;
    a try that is not ready is stopped (5 s) and another port tried, `tries` times. (proc, port), or None."""
    for _ in range(tries):
        port = free_port()
        with open(log, "ab") as out:
            proc = subprocess.Popen(argv_for(port), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    env=env)
        if ready(proc, port):
            return proc, port
        stop(proc, 5)
    return None


def start_serve(binary: Path, data_dir: Path, log: Path, env: dict[str, str],
                seconds: float = 60) -> tuple[subprocess.Popen, str, int] | None:
    """`motcua serve` on a free port of 127.0.0.1 with `data_dir` and `env` (plus MOTCUA_PUBLIC_URL, its own
    URL), ready within `seconds`: (proc, url, port), or None when no try became ready (`log` says why)."""
    def argv(port: int) -> list[str]:
        env["MOTCUA_PUBLIC_URL"] = f"http://127.0.0.1:{port}"  # the links in its mail point at this server
        return [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)]

    started = start_on_free_port(argv, log, lambda proc, port: wait_ready(proc, f"http://127.0.0.1:{port}", seconds),
                                 env=env)
    if started is None:
        return None
    proc, port = started
    return proc, f"http://127.0.0.1:{port}", port


def motcua_bin(*candidates: str) -> Path:
    """$MOTCUA_BIN, else the first of `candidates` (paths below the repository) that exists, else the first."""
    env = os.environ.get("MOTCUA_BIN")
    if env:
        return Path(env)
    for candidate in candidates:
        if (REPO / candidate).exists():
            return REPO / candidate
    return REPO / candidates[0]


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as e:
        return f"(no server log: {e})"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str  # as printed, e.g. "Quản trị cơ quan, Sở Nội vụ tỉnh Sơn La"


# "  quantri.h52@motcua.demo  Abcd-Efgh-Ijkl-Mnop  Quản trị cơ quan, Sở Nội vụ tỉnh Sơn La"
_DEMO_LINE = re.compile(r"^\s+(\S+@\S+)\s{2,}(\S+)\s{2,}(\S.*?)\s*$")


def read_demo_logins(log: Path, into: dict, seconds: float = 10) -> dict:
    """Fills `into` with {email: DemoLogin}: the demo staff accounts the server printed (stdout, under "Demo staff
    accounts") on its first start, waiting up to `seconds` for them in its `log`; returns `into`. Fails (assert)
    when none shows."""
    deadline = time.monotonic() + seconds
    while True:
        text = log.read_text(encoding="utf-8", errors="replace")
        if "Demo staff accounts" in text:
            for line in text.split("Demo staff accounts", 1)[1].splitlines()[1:]:
                m = _DEMO_LINE.match(line)
                if not m:
                    if into:
                        break
                    continue
                into[m.group(1)] = DemoLogin(m.group(1), m.group(2), m.group(3))
        if into or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    assert into, "the server printed no demo staff accounts; log:\n" + log_tail(log, 40)
    return into


def _sigterm_as_interrupt(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt(f"signal {signum}")


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises KeyboardInterrupt: pytest then stops in order and runs fixture teardown, a script
    its `finally` blocks, so a SIGTERM from scripts/test's trap or a run.sh also stops the server (and Chromium)."""
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
