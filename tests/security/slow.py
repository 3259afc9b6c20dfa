"""Raw-socket clients for the slow-upload tests: uploads that trickle or stall, and probes that hold a
connection open to see whether (and when) the server closes it. Every socket has a bounded lifetime:
stop() closes it, and the probes give up after their deadline.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from pathlib import Path

import portal


def upload_head(server, token: str, dossier_id: int, position: int, length: int) -> bytes:
    """Request line and headers of an API upload (PUT …/documents/{position}/files) of `length` bytes."""
    return (f"PUT /api/v1/dossiers/{dossier_id}/documents/{position}/files HTTP/1.1\r\n"
            f"Host: {server.host}:{server.port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/pdf\r\nContent-Length: {length}\r\n\r\n").encode()


def multipart_head(server, client: portal.Client, dossier_id: int, position: int, length: int,
                   boundary: str) -> bytes:
    """Request line and headers of the page's upload form (multipart, CSRF token in the URL, session cookie)."""
    cookies = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
    return (f"POST /ho-so/{dossier_id}/tep/{position}?_csrf={client.csrf()} HTTP/1.1\r\n"
            f"Host: {server.host}:{server.port}\r\nCookie: {cookies}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n").encode()


def multipart_preamble(boundary: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cham.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode()


def connect(server, timeout: float = 10) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def abort(sock: socket.socket) -> None:
    """Drops the connection the hard way (RST), as a client that dies or loses its network does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class SlowUpload(threading.Thread):
    """An upload whose body trickles at `rate` bytes per second (after `first` bytes at once) until
    stop(); it never completes. Records whether the server ended it early."""

    def __init__(self, sock: socket.socket, head: bytes, first: bytes, rate: int = 1024):
        super().__init__(daemon=True)
        self.sock, self.head, self.first, self.rate = sock, head, first, rate
        self.sent = 0
        self.ended_by_server: str | None = None
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            self.sock.sendall(self.head + self.first)
            self.sent = len(self.first)
            while not self._halt.wait(1.0):
                self.sock.sendall(b"0" * self.rate)
                self.sent += self.rate
        except OSError as e:
            if not self._halt.is_set():
                self.ended_by_server = repr(e)

    def stop(self) -> None:
        self._halt.set()
        abort(self.sock)
        self.join(5)


class ConnectionProbe(threading.Thread):
    """Sends `opening` (maybe nothing) and then nothing more; waits up to `deadline` seconds for the
    server to answer or close, recording when it did (closed_after, seconds) and what it sent."""

    def __init__(self, name: str, sock: socket.socket, opening: bytes, deadline: float):
        super().__init__(daemon=True, name=name)
        self.sock, self.opening, self.deadline = sock, opening, deadline
        self.started = time.monotonic()
        self.closed_after: float | None = None
        self.answer = b""
        self.done = threading.Event()

    def run(self) -> None:
        try:
            if self.opening:
                self.sock.sendall(self.opening)
            self.sock.settimeout(1.0)
            while time.monotonic() - self.started < self.deadline:
                try:
                    data = self.sock.recv(4096)
                except socket.timeout:
                    continue
                if not data:
                    self.closed_after = time.monotonic() - self.started
                    break
                self.answer += data
        except OSError:
            self.closed_after = time.monotonic() - self.started
        finally:
            self.done.set()
            abort(self.sock)

    def wait(self) -> None:
        self.done.wait(max(0.0, self.deadline - (time.monotonic() - self.started)) + 5)


def stored_objects(files: Path) -> set[str]:
    """Names of the complete files in the store (files/objects/ab/cd/<sha256>)."""
    objects = files / "objects"
    return {name for _, _, names in os.walk(objects) for name in names}


def temp_files(files: Path) -> set[str]:
    tmp = files / "tmp"
    return set(os.listdir(tmp)) if tmp.is_dir() else set()


def wait_until(condition, seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
