"""Local delivery sinks for the delivery benchmark: an SMTP server and an FTP server that
count what they receive (by Message-ID, by file name). ``Sinks`` runs both in a process
of their own, as a package's servers would be: not sharing the load generator's GIL."""

from __future__ import annotations

import logging
import multiprocessing
import socket
import threading
from collections import Counter
from email import message_from_bytes
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

FTP_USER, FTP_PASSWORD = "bench", "bench-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpSink:
    def __init__(self) -> None:
        self.message_ids: Counter[str] = Counter()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                message = message_from_bytes(envelope.content)
                sink.message_ids[str(message["Message-ID"])] += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class FtpSink:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.stored: Counter[str] = Counter()
        sink = self
        # pyftpdlib logs a line per command to stderr unless its logger has a handler
        # when it starts serving (it then also resets the level to INFO): that cost the
        # sinks' process CPU both sides share, more for the side sending more commands.
        logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
        logging.getLogger("pyftpdlib").addHandler(logging.NullHandler())
        authorizer = DummyAuthorizer()
        authorizer.add_user(FTP_USER, FTP_PASSWORD, str(home), perm="elradfmwMT")

        class Handler(FTPHandler):
            def ftp_RNTO(self, path: str) -> Any:
                sink.stored[Path(path).name] += 1
                return super().ftp_RNTO(path)

        Handler.authorizer = authorizer
        self.ioloop = IOLoop()
        self.server = FTPServer(("127.0.0.1", 0), Handler, ioloop=self.ioloop)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"timeout": 0.05, "blocking": True}, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.address[1])

    def __enter__(self) -> FtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close_all()


def _serve(home: str, conn: Connection) -> None:
    with SmtpSink() as smtp, FtpSink(Path(home)) as ftp:
        conn.send((smtp.port, ftp.port))
        while conn.recv() == "counts":
            conn.send((dict(smtp.message_ids), dict(ftp.stored)))


class Sinks:
    """Both sinks in a child process; ``counts()`` asks it what arrived."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self._conn, child = multiprocessing.get_context("spawn").Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(str(home), child), daemon=True)
        self._process.start()
        self.smtp_port, self.ftp_port = self._conn.recv()

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """(Message-IDs received by SMTP, file names stored by FTP), with how many times."""
        self._conn.send("counts")
        message_ids, stored = self._conn.recv()
        return Counter(message_ids), Counter(stored)

    def __enter__(self) -> Sinks:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(timeout=10)
