"""The intake's SMTP server reads DATA in chunks (``intake/smtp_data.py``) where aiosmtpd
reads it line by line: the same byte streams, sent to aiosmtpd's own server and to the
intake's, must get the same reply and hand on the same content."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from lucy_events.intake.smtp_server import IntakeController
from tests.e2e.conftest import free_port

SIZE_LIMIT = 5_000
LINE_LIMIT = SMTP.line_length_limit  # 1001, with the CRLF


class Keep:
    """Accepts everything and keeps what DATA handed on."""

    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.contents.append(envelope.original_content or b"")
        return "250 kept"


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Any]]:
    options = {"hostname": "127.0.0.1", "data_size_limit": SIZE_LIMIT, "decode_data": False}
    found = {
        "aiosmtpd": Controller(Keep(), port=free_port(), **options),
        "intake": IntakeController(Keep(), greeting_name="inbox.test", port=free_port(),
                                   **options),
    }
    for server in found.values():
        server.start()
    yield found
    for server in found.values():
        server.stop()


def _reply(sock: socket.socket) -> bytes:
    """One whole reply (the last line has a space after its code)."""
    received = b""
    while True:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        received += chunk
        lines = received.split(b"\r\n")
        if len(lines) > 1 and len(lines[-2]) > 3 and lines[-2][3:4] == b" ":
            return received


def _open_data(port: int) -> socket.socket:
    """A connection that has just been told to go ahead with its DATA."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _reply(sock)
    for command in (b"EHLO client.example", b"MAIL FROM:<a@supplier.example>",
                    b"RCPT TO:<c@inbox.test>", b"DATA"):
        sock.sendall(command + b"\r\n")
        _reply(sock)
    return sock


def _converse(port: int, stream: bytes, pieces: int) -> tuple[bytes, bytes]:
    """Send one mail whose DATA is ``stream`` (its closing dot line included), in
    ``pieces`` writes; the reply to the DATA, and the reply to a NOOP after it (the
    session goes on)."""
    with _open_data(port) as sock:
        step = max(1, len(stream) // pieces)
        for start in range(0, len(stream), step):
            sock.sendall(stream[start:start + step])
            if pieces > 1:
                time.sleep(0.002)  # let the server read what came so far
        answer = _reply(sock)
        sock.sendall(b"NOOP\r\n")
        after = _reply(sock)
        sock.sendall(b"QUIT\r\n")
        return answer, after


def assert_same(servers: dict[str, Any], stream: bytes, pieces: int = 1) -> None:
    seen = {}
    for name, server in servers.items():
        kept = server.handler.contents
        before = len(kept)
        answer, after = _converse(server.port, stream, pieces)
        seen[name] = (answer, after, kept[before:])
    assert seen["intake"] == seen["aiosmtpd"]


def lines(*texts: bytes) -> bytes:
    return b"".join(text + b"\r\n" for text in texts) + b".\r\n"


EDGE_CASES = {
    "empty": b".\r\n",
    "one line": lines(b"Subject: x", b"", b"body"),
    "dot-stuffed lines": lines(b"..", b"..leading", b"...", b"a.", b"", b".x"),
    "a dot line inside a line": b"a\r\nb.\r\n.x\r\n.\r\n",
    "dots that end lines": lines(b"attached.", b"end.", b"x."),
    "bare line feeds and returns": b"a\n.\nb\rc\r\n\n.\n\r\n.\r\n",
    "a dot line after a bare line feed": b"a\n.\r\nb\r\n.\r\n",
    "no line end before the dot": b"abc.\r\n.\r\n",
    **{f"a line of {n} characters": lines(b"x" * n, b"next")
       for n in (998, 999, 1000, 1001, 1002, 1003, 3000)},
    "a long line first": lines(b"y" * 5000),
    "a long line that ends in a dot": lines(b"z" * 2000 + b"."),
    "just at the size limit": lines(b"q" * (SIZE_LIMIT - 2)),
    "one byte past the size limit": lines(b"q" * (SIZE_LIMIT - 1)),
    "far past the size limit": lines(*[b"w" * 70] * 400),
    "a long line past the size limit": lines(*[b"s" * 80] * 60, b"l" * 1200),
    # 60 lines of 82 bytes, then a line from byte 4,920 across the limit: counted first
    # when the reader could hold it (1,001 characters), refused first when not (1,002).
    "a line too long that crosses the size limit": lines(*[b"a" * 80] * 60, b"b" * 1001),
    "an overlong line that crosses the size limit": lines(*[b"a" * 80] * 60, b"b" * 1002),
    "a line too long before the size limit": lines(b"b" * 1000, b"a" * SIZE_LIMIT),
}


@pytest.mark.parametrize("name", EDGE_CASES)
def test_edge_cases_get_the_reply_and_content_aiosmtpd_gives(servers, name):
    assert_same(servers, EDGE_CASES[name])


@pytest.mark.parametrize("name", ["dot-stuffed lines", "a dot line inside a line",
                                  "far past the size limit", "a line of 3000 characters"])
def test_a_stream_that_arrives_in_small_pieces_is_read_the_same(servers, name):
    stream = EDGE_CASES[name]
    assert_same(servers, stream, pieces=min(len(stream), 40))


def random_stream(rng: random.Random) -> bytes:
    """Lines of random length (some over the line limit), dots and bare CR/LF in random
    places, sometimes more than the size limit in all, dot-stuffed."""
    alphabet = b"abcXYZ09+/=. :-"
    out = []
    for _ in range(rng.randint(0, 60)):
        length = rng.choice([0, 1, 2, rng.randint(0, 80), rng.randint(900, 1100)])
        line = bytes(rng.choice(alphabet) for _ in range(length))
        if rng.random() < 0.2:
            line = b"." + line
        if rng.random() < 0.05:
            line += rng.choice([b"\n", b"\r", b"\n."])
        if line.startswith(b"."):  # stuffed as a client does: no dot line before the end
            line = b"." + line
        out.append(line + b"\r\n")
    return b"".join(out) + b".\r\n"


@pytest.mark.parametrize("seed", range(40))
def test_random_streams_get_the_reply_and_content_aiosmtpd_gives(servers, seed):
    rng = random.Random(seed)
    assert_same(servers, random_stream(rng), pieces=rng.choice([1, 1, 3, 17]))


def test_a_connection_lost_during_data_hands_nothing_on_and_the_server_goes_on(servers):
    for server in servers.values():
        kept = server.handler.contents
        before = len(kept)
        with _open_data(server.port) as sock:
            sock.sendall(b"Subject: half\r\n\r\nthe first half of a ")
        answer, _ = _converse(server.port, lines(b"the next mail"), 1)
        assert answer.startswith(b"250")
        assert kept[before:] == [b"the next mail\r\n"]
