"""The local test sites' server: a standard-library HTTP server on 127.0.0.1 with a request
log and a fault switchboard. A site (MenafnSite in `menafn.py`, the wires' in `wires.py`) says
how it routes; every site answers `/_site/requests` and `/_site/clear`:

    site.faults["/tb_news.aspx"] = Fault(statuses=[503, 503])
"""

from __future__ import annotations

import contextlib
import gzip
import json
import signal
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

from .faults import Fault, Response, apply_fault

DEFAULT_ROBOTS = "User-agent: *\nDisallow:\n"
CHUNK = 8192  # bytes per chunk of a chunked answer


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # path + query, as requested
    status: int
    time: float  # time.time() when the request arrived
    user_agent: str = ""


class LocalSite:
    """A site on 127.0.0.1 with switchable faults and a request log; subclasses route."""

    def __init__(self, robots_txt: str | None = None, compress: bool = False) -> None:
        self.robots_txt = DEFAULT_ROBOTS if robots_txt is None else robots_txt
        # Like IIS for dynamic pages: gzip (when asked) in chunked transfer encoding.
        self.compress = compress
        self.faults: dict[str, Fault] = {}
        self.response_delay = 0.0  # seconds every page takes to answer (a far-away server)
        self._lock = threading.RLock()
        self._requests: list[RequestRecord] = []
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- request log ---------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log (the `/_site/` endpoints are not logged)."""
        with self._lock:
            return list(self._requests)

    def article_requests(self) -> list[RequestRecord]:
        """The logged requests for story pages."""
        return [r for r in self.requests if self.is_article(urlsplit(r.path).path)]

    def is_article(self, path: str) -> bool:
        """Whether a path is a story page's (without query)."""
        raise NotImplementedError

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _log(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    # --- lifecycle -----------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a background thread; returns the base URL, e.g. http://127.0.0.1:PORT."""
        handler = type("Handler", (_Handler,), {"site": self})
        self._stopping.clear()
        self._server = _QuietServer((host, port), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("site not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        """Stop serving; hanging responses are released."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:  # kept-alive connections would outlive the server
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def serve_until_stopped(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve in the foreground, printing the base URL on one line, until SIGTERM or ^C."""
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        print(self.start(host, port), flush=True)
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- routing -------------------------------------------------------------------------
    def fault_for(self, target: str) -> Fault | None:
        """The fault with the longest key that prefixes `target` (path + query)."""
        keys = [key for key in self.faults if target.startswith(key)]
        return self.faults[max(keys, key=len)] if keys else None

    def take_fault(self, target: str) -> tuple[Fault, int] | None:
        """The fault for `target` and this request's 0-based number under it."""
        with self._lock:
            fault = self.fault_for(target)
            if fault is None:
                return None
            fault.hits += 1
            return fault, fault.hits - 1

    def route(self, target: str, base_url: str) -> Response:
        """The normal (fault-free) response for a path + query."""
        raise NotImplementedError

    def control(self, target: str) -> Response:
        """The `/_site/` JSON endpoints, for tests and benchmarks in another process."""
        parts = urlsplit(target)
        if parts.path == "/_site/requests":
            data: object = [asdict(r) for r in self.requests]
        elif parts.path == "/_site/clear":
            self.clear_requests()
            data = {"cleared": True}
        else:
            return Response(404, b'{"error": "unknown control endpoint"}', "application/json")
        return Response(200, json.dumps(data).encode(), "application/json")


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer (a crawler giving up on a huge page) is not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    site: LocalSite
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""
    timeout = 30

    def setup(self) -> None:
        super().setup()
        with self.site._lock:
            self.site._connections.add(self.connection)

    def finish(self) -> None:
        with self.site._lock:
            self.site._connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the site keeps its own log."""

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def _handle(self, *, send_body: bool) -> None:
        started = time.time()
        target = self.path
        if target.startswith("/_site/"):
            self._send(self.site.control(target), send_body)
            return
        host = self.headers.get("Host") or "127.0.0.1"
        if self.site.response_delay:
            self.site._stopping.wait(self.site.response_delay)
        response = self.site.route(target, f"http://{host}")
        taken = self.site.take_fault(target)
        fault = taken[0] if taken else None
        if taken is not None:
            response = apply_fault(*taken, response)
        self.site._log(
            RequestRecord(
                self.command, target, response.status, started, self.headers.get("User-Agent", "")
            )
        )
        self._send(response, send_body, fault)

    def _send(self, response: Response, send_body: bool, fault: Fault | None = None) -> None:
        if fault is not None and fault.raw is not None:  # e.g. broken chunked encoding
            self.wfile.write(fault.raw)
            self.wfile.flush()
            self.close_connection = True
            return
        if (
            fault is None
            and self.site.compress
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            self._send_gzip_chunked(response, send_body)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()
        if fault is not None and fault.hang_after_headers > 0:
            self.site._stopping.wait(fault.hang_after_headers)
        if not send_body:
            return
        if fault is not None and fault.truncate_at is not None:
            self.wfile.write(response.body[: fault.truncate_at])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(response.body)

    def _send_gzip_chunked(self, response: Response, send_body: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body:
            return
        body = gzip.compress(response.body, mtime=0)
        for start in range(0, len(body), CHUNK):
            chunk = body[start : start + CHUNK]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")
