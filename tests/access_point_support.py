"""A local Peppol access point provider's HTTP API for tests, speaking what
``peppol.access_point.HttpAccessPoint`` expects: it checks the bearer token, reads each
Standard Business Document's header, keeps one transmission per InstanceIdentifier (a
second POST of the same one is a 409 with the first transmission), answers lookups by
InstanceIdentifier, and reports each transmission's status, which the test moves on
(``deliver``, ``fail``) or lets move by itself (``auto_deliver``: delivered on the first
status request).

``down`` answers 503 to everything; ``lose_answers`` accepts that many documents and then
drops the connection without answering, as a crash or a network cut after the provider
took the document would look to the sender.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.peppol.sbdh import Header, read_header

TOKEN = "ap-token-of-the-firm"


@dataclass
class Transmission:
    transmission_id: str
    header: Header
    document: bytes
    status: str = "accepted"
    reason: str | None = None

    def answer(self) -> dict[str, Any]:
        return {"transmission_id": self.transmission_id, "status": self.status,
                "reason": self.reason}


class LocalAccessPoint:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.transmissions: dict[str, Transmission] = {}  # by InstanceIdentifier
        self.posts: list[str] = []  # each POST's InstanceIdentifier, duplicates included
        self.down = False
        self.lose_answers = 0
        self.auto_deliver = False
        self._lock = threading.Lock()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.http.server_port}/api"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def by_id(self, transmission_id: str) -> Transmission:
        return next(t for t in self.transmissions.values()
                    if t.transmission_id == transmission_id)

    def deliver(self, transmission_id: str) -> None:
        self.by_id(transmission_id).status = "delivered"

    def fail(self, transmission_id: str, reason: str) -> None:
        found = self.by_id(transmission_id)
        found.status, found.reason = "failed", reason

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        ap = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: dict[str, Any] | None = None) -> None:
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _allowed(self) -> bool:
                if ap.down:
                    self._reply(503, {"message": "maintenance"})
                    return False
                if self.headers.get("Authorization") != f"Bearer {ap.token}":
                    self._reply(401, {"message": "bad token"})
                    return False
                return True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._allowed():
                    return
                if urlsplit(self.path).path != "/api/transmissions":
                    self._reply(404)
                    return
                try:
                    header = read_header(body)
                except (ValueError, InvalidValue) as error:
                    self._reply(422, {"message": f"not a Standard Business Document: {error}"})
                    return
                key = header.instance_identifier
                with ap._lock:
                    ap.posts.append(key)
                    existing = ap.transmissions.get(key)
                    if existing is None:
                        ap.transmissions[key] = Transmission(
                            f"tx-{len(ap.transmissions) + 1}", header, body)
                    lose = existing is None and ap.lose_answers > 0
                    ap.lose_answers -= lose
                if lose:  # taken, but the sender never hears so
                    self.close_connection = True
                    self.connection.close()
                    return
                if existing is not None:
                    self._reply(409, existing.answer())
                else:
                    self._reply(201, ap.transmissions[key].answer())

            def do_GET(self) -> None:
                if not self._allowed():
                    return
                parts = urlsplit(self.path)
                if parts.path == "/api/transmissions":
                    key = parse_qs(parts.query).get("instance_identifier", [""])[0]
                    found = ap.transmissions.get(key)
                    self._reply(200, found.answer()) if found else self._reply(404)
                    return
                if parts.path.startswith("/api/transmissions/"):
                    wanted = parts.path.rsplit("/", 1)[1]
                    for transmission in list(ap.transmissions.values()):
                        if transmission.transmission_id == wanted:
                            if ap.auto_deliver and transmission.status == "accepted":
                                transmission.status = "delivered"
                            self._reply(200, transmission.answer())
                            return
                self._reply(404)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextmanager
def local_access_point() -> Iterator[LocalAccessPoint]:
    ap = LocalAccessPoint()
    ap.thread.start()
    try:
        yield ap
    finally:
        ap.stop()
