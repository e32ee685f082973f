"""Requests in the shared queue as JSON, never pickles: Redis data cannot run code on a worker.

The shared queue's serializer (``loads``/``dumps`` of ``Request.to_dict()``). On the way in, what
JSON cannot carry exactly is refused with the key at fault (a tuple in ``meta`` would come
back a list); bytes (headers, body) travel as latin-1 text and base64. On the way out, the
request class must be one of Scrapy's own and the callbacks public methods of the spider.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

# Request classes a queued request may name (``_class``); anything else is refused.
REQUEST_CLASSES = frozenset(
    {
        "scrapy.http.request.Request",
        "scrapy.http.request.form.FormRequest",
        "scrapy.http.request.json_request.JsonRequest",
    }
)
_JSON_FIELDS = ("meta", "cb_kwargs", "cookies", "flags")


class UnsafeRequest(ValueError):
    """A request that cannot go through Redis as JSON (or that came back malformed)."""


def _exact(value: Any, where: str) -> None:
    """Raise UnsafeRequest unless JSON gives ``value`` back as it is (the path in the message)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise UnsafeRequest(f"{where} has a non-text key {name!r}")
            _exact(item, f"{where}[{name!r}]")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _exact(item, f"{where}[{number}]")
    elif value is not None and not isinstance(value, str | int | float | bool):
        kind = type(value).__name__
        raise UnsafeRequest(f"{where} holds a {kind}, which JSON cannot carry: use a list or text")


def dumps(request: dict[str, Any]) -> bytes:
    """One request dict (``Request.to_dict(spider=...)``) as JSON bytes.

    >>> dumps({"url": "http://a/", "body": b"", "headers": {b"Accept": [b"*/*"]}, "meta": {}})
    b'{"url":"http://a/","body":"","headers":{"Accept":["*/*"]},"meta":{}}'
    >>> dumps({"url": "http://a/", "meta": {"ref": ("1", "slug")}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newscrawl.distributed.requests.UnsafeRequest: meta['ref'] holds a tuple, which JSON ...
    """
    data = dict(request)
    for name in _JSON_FIELDS:
        if name in data:
            _exact(data[name], name)
    if "body" in data:
        data["body"] = base64.b64encode(data["body"] or b"").decode("ascii")
    if "headers" in data:
        data["headers"] = {
            name.decode("latin-1"): [value.decode("latin-1") for value in values]
            for name, values in data["headers"].items()
        }
    return orjson.dumps(data)


def loads(data: bytes) -> dict[str, Any]:
    """JSON bytes back to a request dict for ``request_from_dict``; UnsafeRequest if unfit."""
    try:
        request = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise UnsafeRequest(f"not JSON: {exc}") from None
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        raise UnsafeRequest("not a request: no url")
    if request.get("_class", "scrapy.http.request.Request") not in REQUEST_CLASSES:
        raise UnsafeRequest(f"request class {request['_class']!r} is not allowed")
    for name in ("callback", "errback"):
        method = request.get(name)
        if method is not None and (not isinstance(method, str) or method.startswith("_")):
            raise UnsafeRequest(f"{name} {method!r} is not a public spider method")
    if "body" in request:
        request["body"] = base64.b64decode(request["body"])
    if "headers" in request:
        request["headers"] = {
            name.encode("latin-1"): [value.encode("latin-1") for value in values]
            for name, values in request["headers"].items()
        }
    return request
