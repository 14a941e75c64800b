"""The largest request body the service takes, enforced at the WSGI edge.

No request needs more than an upload: ``LUCY_MAX_UPLOAD_BYTES`` of files plus room for
the multipart framing and the small form fields around them. A declared length over
that is answered 413 before a byte of the body is read; a body without one (chunked) is
counted while it is read and refused the moment it passes the limit. The HTTP server in
front (waitress) gets the same number as its own ``max_request_body_size``: it buffers a
body before calling the application, so it must refuse an oversized one itself, from the
declared length or while the chunks come in (``http_server``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.exceptions import RequestEntityTooLarge

from lucy_events.intake.files import size_text
from lucy_events.web.errors import error_body

#: The same code werkzeug gives a body over a route's own (smaller) limit.
CODE = "request_entity_too_large"
#: Room for the multipart framing and the small form fields around the files.
FRAMING = 64 * 1024

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def request_body_limit(max_upload_bytes: int) -> int:
    return max_upload_bytes + FRAMING


def _message(max_upload_bytes: int) -> str:
    return (f"the request is larger than the limit (uploads up to "
            f"{size_text(max_upload_bytes)})")


class BodyTooLarge(RequestEntityTooLarge):
    """Raised while reading a body (without a declared length) that passes the limit."""


class _CountedInput:
    """``wsgi.input`` that refuses to give more than ``limit`` bytes in all."""

    def __init__(self, stream: Any, limit: int, message: str) -> None:
        self.stream = stream
        self.left = limit
        self.message = message

    def _count(self, data: bytes) -> bytes:
        self.left -= len(data)
        if self.left < 0:
            raise BodyTooLarge(self.message)
        return data

    def read(self, size: int = -1) -> bytes:
        # One byte more than allowed is enough to know the body is too large.
        wanted = self.left + 1 if size is None or size < 0 else min(size, self.left + 1)
        return self._count(self.stream.read(wanted))

    def readline(self, size: int = -1) -> bytes:
        wanted = self.left + 1 if size is None or size < 0 else min(size, self.left + 1)
        return self._count(self.stream.readline(wanted))

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


class BodyLimit:
    """WSGI middleware: the declared length checked first, an undeclared one counted."""

    def __init__(self, app: WsgiApp, max_upload_bytes: int) -> None:
        self.app = app
        self.limit = request_body_limit(max_upload_bytes)
        self.message = _message(max_upload_bytes)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length > self.limit:
                return self._refuse(environ, start_response)
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() or environ.get(
                "wsgi.input_terminated"):
            environ["wsgi.input"] = _CountedInput(environ["wsgi.input"], self.limit,
                                                  self.message)
        return self.app(environ, start_response)

    def _refuse(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if environ.get("PATH_INFO", "").startswith("/api/"):
            body, kind = json.dumps(error_body(CODE, self.message)).encode(), "application/json"
        else:  # a person at the dashboard
            body = f"{self.message.capitalize()}: upload fewer or smaller files.\n".encode()
            kind = "text/plain; charset=utf-8"
        # (No "Connection: close": a hop-by-hop header is the server's to set, and
        # waitress refuses one from the application.)
        start_response("413 Request Entity Too Large", [
            ("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]


def install(app: Flask, max_upload_bytes: int) -> None:
    app.wsgi_app = BodyLimit(app.wsgi_app, max_upload_bytes)  # type: ignore[method-assign]

    @app.errorhandler(BodyTooLarge)
    def _too_large(error: BodyTooLarge) -> tuple[dict[str, Any], int]:
        return error_body(CODE, error.description or ""), 413
