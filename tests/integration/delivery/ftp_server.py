"""A real FTP/FTPS server (pyftpdlib) in a thread, logging the commands that matter."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

USERNAME, PASSWORD = "firm", "ftp-password"
READER, READER_PASSWORD = "reader", "reader-password"


@dataclass
class FtpState:
    host: str
    port: int
    home: Path
    #: (command, file name, names in its folder at that moment, channel secured)
    log: list[tuple[str, str, frozenset[str], bool]] = field(default_factory=list)
    #: The questions asked: (SIZE or NLST, its argument).
    asked: list[tuple[str, str]] = field(default_factory=list)
    #: Drop the data connection of an upload after this many bytes.
    cut_after: int | None = None
    #: Sign-ins accepted (USER and PASS), one a session.
    logins: int = 0

    def reset(self) -> None:
        self.log.clear()
        self.asked.clear()
        self.cut_after = None
        self.logins = 0
        for child in self.home.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    def commands(self) -> list[tuple[str, str]]:
        return [(command, name) for command, name, _, _ in self.log]


class _Recording:
    state: FtpState

    def _record(self, command: str, path: str) -> None:
        folder = os.path.dirname(path)
        names = frozenset(os.listdir(folder)) if os.path.isdir(folder) else frozenset()
        secured = bool(getattr(self, "_ssl_established", False)
                       and getattr(self, "_prot", False))
        self.state.log.append((command, os.path.basename(path), names, secured))

    def on_login(self, username: str) -> None:
        self.state.logins += 1

    def ftp_STOR(self, file: str, mode: str = "w") -> Any:
        self._record("STOR", file)
        return super().ftp_STOR(file, mode)  # type: ignore[misc]

    def ftp_SIZE(self, path: str) -> Any:
        self.state.asked.append(("SIZE", os.path.basename(path)))
        return super().ftp_SIZE(path)  # type: ignore[misc]

    def ftp_NLST(self, path: str) -> Any:
        self.state.asked.append(("NLST", os.path.basename(path)))
        return super().ftp_NLST(path)  # type: ignore[misc]

    def ftp_RNFR(self, path: str) -> Any:
        self._record("RNFR", path)
        return super().ftp_RNFR(path)  # type: ignore[misc]

    def ftp_RNTO(self, path: str) -> Any:
        self._record("RNTO", path)
        return super().ftp_RNTO(path)  # type: ignore[misc]


class _CuttingDTP(DTPHandler):
    def handle_read(self) -> None:
        super().handle_read()
        limit = self.cmd_channel.state.cut_after
        if limit is not None and self.tot_bytes_received >= limit and not self._closed:
            self._resp = ("426 Connection closed; transfer aborted.", logging.getLogger().debug)
            self.close()

    handle_read_event = handle_read  # the base class binds its own under this name too


class FtpThread:
    def __init__(self, handler: type[FTPHandler]) -> None:
        # Each server needs its own loop: pyftpdlib's default one is shared process-wide.
        self.server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.server.serve_forever(timeout=0.02, blocking=False, handle_exit=False)
        self.server.close_all()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def start(home: Path, *, tls_cert: tuple[Path, Path] | None = None,
          without: frozenset[str] = frozenset(),
          idle_timeout: float = 300) -> tuple[FtpThread, FtpState]:
    """A server on a free port; ``without`` names commands it does not know (e.g. SIZE);
    it closes a session idle for ``idle_timeout`` seconds."""
    home.mkdir(parents=True, exist_ok=True)
    authorizer = DummyAuthorizer()
    authorizer.add_user(USERNAME, PASSWORD, str(home), perm="elradfmwMT")
    authorizer.add_user(READER, READER_PASSWORD, str(home), perm="elr")
    state = FtpState("127.0.0.1", 0, home)
    base: type[FTPHandler] = TLS_FTPHandler if tls_cert else FTPHandler
    attributes: dict[str, Any] = {
        "authorizer": authorizer, "state": state, "dtp_handler": _CuttingDTP,
        "banner": "lucy test ftpd", "auth_failed_timeout": 0.01, "timeout": idle_timeout,
    }
    if tls_cert:
        attributes.update(certfile=str(tls_cert[0]), keyfile=str(tls_cert[1]),
                          tls_control_required=True, tls_data_required=True, ssl_context=None)
        del attributes["dtp_handler"]  # TLS needs its own data channel class
    if without:
        attributes["proto_cmds"] = {
            name: spec for name, spec in base.proto_cmds.items() if name not in without}
    handler = type("RecordingHandler", (_Recording, base), attributes)
    thread = FtpThread(handler)
    state.port = thread.server.address[1]
    thread.start()
    return thread, state
