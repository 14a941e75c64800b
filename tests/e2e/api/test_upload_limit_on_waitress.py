"""The upload limit at the edge, on the real server of ``serve`` and ``api`` (waitress,
configured by ``web.http_server``): a body too large is refused before it is sent,
whether its length is declared or it comes in chunks, with a token or without."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lucy_events.access_tokens import AccessTokens
from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.web import create_app
from lucy_events.web.http_server import create_server, stop_in_thread
from tests.support import open_office

LIMIT = 256 * 1024
DECLARED = 200 * 1024 * 1024
CHUNK = 16 * 1024


@pytest.fixture(scope="module")
def waitress_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    data_dir: Path = tmp_path_factory.mktemp("waitress")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/events.sqlite",
                        blob_dir=data_dir / "blobs",
                        read_database_url=f"sqlite:///{data_dir}/read.sqlite",
                        max_upload_bytes=LIMIT)
    services = bootstrap(settings)
    office = open_office(services.app, "Dupont & Partners")
    from uuid import UUID

    token = AccessTokens(services.read_db).issue(office.firm_id, UUID(office.admin.id))
    server: Any = create_server(create_app(services), host="127.0.0.1", port=0,
                                max_upload_bytes=settings.max_upload_bytes)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port, token
    stop_in_thread(server, thread)
    services.close()


def _slow_upload(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[bytes, int]:
    """Send the head, then the body a chunk at a time (slowly), until the server answers;
    the answer's first line and how many body bytes had been sent by then."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + 60
        for chunk in chunks:
            readable, _, _ = select.select([sock], [], [], 0.005)
            if readable or time.monotonic() > deadline:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        reply = b""
        while b"\r\n" not in reply:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.split(b"\r\n", 1)[0], sent


def _head(port: int, token: str | None, length_or_chunked: str) -> bytes:
    lines = ["POST /api/v1/clients/00000000-0000-0000-0000-000000000001/documents HTTP/1.1",
             f"Host: 127.0.0.1:{port}",
             "Content-Type: multipart/form-data; boundary=x", length_or_chunked]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _body(size: int) -> Iterator[bytes]:
    for _ in range(size // CHUNK):
        yield b"x" * CHUNK


def _chunked(size: int) -> Iterator[bytes]:
    for _ in range(size // CHUNK):
        yield f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n"


@pytest.mark.parametrize("token", [True, False], ids=["with a token", "without a token"])
def test_a_declared_length_over_the_limit_is_answered_413_before_the_body_is_sent(
        waitress_server: tuple[int, str], token: bool):
    port, valid = waitress_server
    status, sent = _slow_upload(port, _head(port, valid if token else None,
                                            f"Content-Length: {DECLARED}"), _body(DECLARED))
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < 1024 * 1024, f"{sent} bytes of the body were sent before the answer"


@pytest.mark.parametrize("token", [True, False], ids=["with a token", "without a token"])
def test_a_chunked_body_is_stopped_with_a_413_once_it_passes_the_limit(
        waitress_server: tuple[int, str], token: bool):
    port, valid = waitress_server
    status, sent = _slow_upload(port, _head(port, valid if token else None,
                                            "Transfer-Encoding: chunked"), _chunked(DECLARED))
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < LIMIT + 1024 * 1024, f"{sent} bytes of the body were sent before the answer"
