"""`scrapy` children forked from an interpreter that has already imported Scrapy and newscrawl.

A ``python -m scrapy crawl`` child spends about 1.1 s of CPU importing and setting up before
it fetches anything (a one-page offline crawl: 1.6 s as a new interpreter, 0.45 s forked from
this launcher); the suite starts some sixty of them, for what only a process shows: exit
statuses as the shell sees them, signals, kills, locks, worker processes, a terminal.

Each pytest worker starts one launcher (``python -m tests.launcher``) on first use. It imports
``scrapy.cmdline`` and every newscrawl module (no Twisted reactor: that is installed by the
crawl), then forks one child per request, which becomes ``python -m scrapy ARGS`` as the
interpreter runs it: the requested working folder, environment and standard streams (passed
as file descriptors over a Unix socket), ``scrapy.__main__`` as the main module, the exit
status of ``SystemExit``, a traceback and 1 for any other exception, atexit functions run.
The launcher waits for its children (a pidfd each) and sends back their exit status, so
``Child`` answers as much of ``subprocess.Popen`` as the tests use.

``popen`` takes the command as the tests write it; anything but ``[sys.executable, "-m",
"scrapy", ...]`` (a ``setpriv`` prefix, another program), or a machine without pidfds, runs
through ``subprocess.Popen`` as before. The README's commands and ``make`` targets always run
as real processes (tests/test_readme.py), so the console entry point stays covered.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import json
import os
import pkgutil
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

ROOT = Path(__file__).resolve().parent.parent
Stream = int | IO[Any] | None  # a descriptor, a file, None (this process's), or DEVNULL/STDOUT


class Child:
    """A launched child, with the part of ``subprocess.Popen`` the tests use."""

    def __init__(self, args: Sequence[str], link: socket.socket) -> None:
        self.args = list(args)
        self._link = link
        self.pid = int(link.recv(64))
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self._link.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                self._settle(self._link.recv(64))
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._link.settimeout(timeout)
            try:
                self._settle(self._link.recv(64))
            except (TimeoutError, BlockingIOError):  # BlockingIOError: a timeout of 0
                raise subprocess.TimeoutExpired(self.args, timeout or 0) from None
        assert self.returncode is not None
        return self.returncode

    def _settle(self, message: bytes) -> None:
        if not message:
            raise RuntimeError("the launcher ended before it reported the child's exit status")
        self.returncode = int(message)
        self._link.close()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


Process = Child | subprocess.Popen[bytes]


def popen(
    args: Sequence[str],
    *,
    cwd: str | Path = ROOT,
    env: Mapping[str, str] | None = None,
    stdin: Stream = None,
    stdout: Stream = None,
    stderr: Stream = None,
) -> Process:
    """``args`` started as ``subprocess.Popen(args, cwd=, env=, stdin=, stdout=, stderr=)``
    would start it (streams: a descriptor, a file, None, DEVNULL, or STDOUT for stderr)."""
    address = _launcher() if list(args[:3]) == [sys.executable, "-m", "scrapy"] else None
    if address is None:
        return subprocess.Popen(args, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr)
    with Path(os.devnull).open("r+b") as null:
        streams = [_descriptor(s, n, null) for n, s in enumerate((stdin, stdout, stderr))]
        if stderr == subprocess.STDOUT:
            streams[2] = streams[1]
        request = {"argv": list(args[3:]), "cwd": str(cwd), "env": dict(env or os.environ)}
        link = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        link.connect(address)
        socket.send_fds(link, [json.dumps(request).encode()], streams)
    return Child(args, link)


def run(
    args: Sequence[str], *, cwd: str | Path = ROOT, env: Mapping[str, str], timeout: float
) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``args`` run to its end, as ``subprocess.run`` with
    ``capture_output=True, text=True`` gives them; a child still going at ``timeout`` s is
    killed and ``subprocess.TimeoutExpired`` raised."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            status = child.wait(timeout=timeout)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        out.seek(0)
        err.seek(0)
        return status, out.read().decode(), err.read().decode()


def _descriptor(stream: Stream, number: int, null: IO[bytes]) -> int:
    if stream is None:
        return number
    if stream == subprocess.PIPE:
        raise ValueError("launched children write to files, not pipes: pass a file")
    if stream == subprocess.DEVNULL:
        return null.fileno()
    if isinstance(stream, int):
        return stream if stream >= 0 else number  # STDOUT is settled by the caller
    return stream.fileno()


_lock = threading.Lock()
_address: str | None = None
_server: subprocess.Popen[bytes] | None = None


def _launcher() -> str | None:
    """The socket of this process's launcher, started on first use (None: no pidfds here)."""
    global _address, _server
    if not _has_pidfds():
        return None
    with _lock:
        if _server is None or _server.poll() is not None:
            address = str(Path(tempfile.mkdtemp(prefix="newscrawl-launcher-")) / "socket")
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            _server = subprocess.Popen(
                [sys.executable, "-m", "tests.launcher", address],
                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )  # fmt: skip
            assert _server.stdout is not None
            if _server.stdout.readline() != b"ready\n":
                raise RuntimeError(f"the launcher did not start (exit {_server.wait()})")
            _address = address
            atexit.register(_stop, _server)
    return _address


@cache
def _has_pidfds() -> bool:
    """Whether this machine gives pidfds (Linux 5.3+, and no sandbox that forbids them)."""
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return False
    return True


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.stdin is not None:
        server.stdin.close()  # the launcher ends when its standard input does
    server.wait(timeout=10)


# The launcher's side.


def preload() -> None:
    """Import what every `scrapy` command imports, and each newscrawl module."""
    import newscrawl

    names = ["scrapy.__main__", "scrapy.cmdline", "scrapy.crawler"]  # __main__: of `-m scrapy`
    names += [module.name for module in pkgutil.walk_packages(newscrawl.__path__, "newscrawl.")]
    for name in names:
        importlib.import_module(name)
    if "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("a preloaded module installed a reactor: the crawl installs its own")


def serve(address: str) -> None:
    """Fork a child per request on ``address`` until standard input ends."""
    preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "request")
    selector.register(sys.stdin, selectors.EVENT_READ, "end")
    children: dict[int, tuple[int, socket.socket]] = {}  # pidfd: (pid, link)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "end" and not os.read(sys.stdin.fileno(), 1024):
                    return
                if key.data == "request":
                    link, _ = listener.accept()
                    message, fds, _, _ = socket.recv_fds(link, 1 << 20, 3)
                    pid = os.fork()
                    if pid == 0:
                        selector.close()
                        held = [listener.fileno(), link.fileno(), *children]
                        held += [link.fileno() for _, link in children.values()]
                        become(json.loads(message), fds, held)
                    for fd in fds:
                        os.close(fd)
                    link.sendall(str(pid).encode())
                    pidfd = os.pidfd_open(pid)
                    children[pidfd] = (pid, link)
                    selector.register(pidfd, selectors.EVENT_READ, "exit")
                if key.data == "exit":
                    pidfd = key.fd
                    pid, link = children.pop(pidfd)
                    selector.unregister(pidfd)
                    os.close(pidfd)
                    _, status = os.waitpid(pid, 0)
                    with link:
                        link.sendall(str(os.waitstatus_to_exitcode(status)).encode())
    finally:
        Path(address).unlink()
        Path(address).parent.rmdir()


def become(request: dict[str, Any], fds: list[int], held: list[int]) -> None:
    """In the forked child: `python -m scrapy ARGV` in the request's folder and environment,
    on its streams; never returns."""
    for fd in held:
        os.close(fd)
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    # The streams as the interpreter makes them for these descriptors (line-buffered on a tty).
    sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=sys.stdout.encoding, closefd=False)  # noqa: SIM115
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding=sys.stderr.encoding,
        errors="backslashreplace", line_buffering=True,
    )  # fmt: skip
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    main = sys.modules["scrapy.__main__"]
    sys.modules["__main__"] = main
    sys.argv = [str(main.__file__), *request["argv"]]
    code = 1
    try:
        from scrapy.cmdline import execute

        execute(["scrapy", *request["argv"]])
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
    finally:  # the interpreter's own finalization, in its order: threads, then atexit
        cast(Any, threading)._shutdown()  # joins them and runs their exit hooks (process pools')
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    if code == -signal.SIGINT:  # as the interpreter ends on an uncaught KeyboardInterrupt
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code)


if __name__ == "__main__":
    serve(sys.argv[1])
