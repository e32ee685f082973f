"""The fault switchboard's parts: what a misbehaving response looks like.

>>> apply_fault(Fault(statuses=[503]), 0, Response(200, b"ok")).status
503
>>> apply_fault(Fault(statuses=[503]), 1, Response(200, b"ok")).body
b'ok'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import cache

from .pages import render_error

BOMB_INFLATED_SIZE = 300 * 2**20
HTML = "text/html; charset=utf-8"


@dataclass
class Fault:
    """How to misbehave for requests whose path+query starts with the switchboard key.

    `statuses` are answered first, one per request (e.g. [503, 503]); later requests get the
    normal page, altered by the other fields. `body_override` is served with status 200.
    """

    statuses: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    hang_after_headers: float = 0.0
    truncate_at: int | None = None
    body_override: bytes | None = None
    content_type: str | None = None
    redirect_to: str | None = None
    redirect_status: int = 302
    gzip_bomb: bool = False
    raw: bytes | None = None  # written to the socket as the whole answer (status line included)
    hits: int = 0  # requests this fault has seen so far


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)


@cache
def gzip_bomb_body() -> bytes:
    """A ~300 KB gzip stream that inflates to BOMB_INFLATED_SIZE zero bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(2**20)
    parts = [compressor.compress(chunk) for _ in range(BOMB_INFLATED_SIZE // len(chunk))]
    return b"".join([*parts, compressor.flush()])


def apply_fault(fault: Fault, hit: int, normal: Response) -> Response:
    """The response for the `hit`-th request (0-based) under `fault`."""
    headers = dict(fault.headers)
    if hit < len(fault.statuses):
        status = fault.statuses[hit]
        return Response(status, render_error(status, f"Status {status}").encode(), headers=headers)
    if fault.redirect_to is not None:
        headers["Location"] = fault.redirect_to
        return Response(fault.redirect_status, b"", headers=headers)
    response = normal
    if fault.body_override is not None:
        response = Response(200, fault.body_override)
    if fault.gzip_bomb:
        headers["Content-Encoding"] = "gzip"
        response = Response(response.status, gzip_bomb_body(), response.content_type)
    return Response(
        response.status,
        response.body,
        fault.content_type or response.content_type,
        {**response.headers, **headers},
    )
