"""The SMTP intake as a user starts it: inside ``serve``, and as ``lucy-events smtp``."""

from __future__ import annotations

import os
import signal
import smtplib
import time

from tests.e2e.conftest import Cli, cli_env, free_port
from tests.support import process_running


def _wait_for_smtp(port: int, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited: {process.stderr.read()}")
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                smtp.ehlo("test.example")
                return
        except (ConnectionError, smtplib.SMTPException, OSError):
            time.sleep(0.2)
    raise AssertionError(f"no SMTP server on {port} within {seconds} s")


def test_serve_takes_mail_on_its_smtp_port_and_refuses_unknown_inboxes(sqlite_cli: Cli):
    smtp_port = int(sqlite_cli.env["LUCY_SMTP_PORT"])
    process = sqlite_cli.start("serve", "--port", str(free_port()))
    try:
        _wait_for_smtp(smtp_port, process)
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.ehlo("mx.supplier.example")
            assert "size" in smtp.esmtp_features
            smtp.mail("ap@supplier.example")
            code, text = smtp.rcpt("nobody-000000@inbox.localhost")
        assert code == 550 and b"No such inbox" in text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_lucy_events_smtp_runs_the_intake_on_its_own_and_stops_on_sigterm(sqlite_cli: Cli):
    port = free_port()
    process = sqlite_cli.start("smtp", "--port", str(port))
    try:
        _wait_for_smtp(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            code, greeting = smtp.ehlo("mx.supplier.example")
        assert code == 250 and greeting.startswith(b"inbox.localhost")
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rpartition(")")[2].split()
            except OSError:  # gone meanwhile
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def test_the_intake_worker_processes_exit_when_lucy_events_smtp_is_killed(tmp_path):
    cli = Cli(cli_env(tmp_path, LUCY_INTAKE_PROCESSES="2"), tmp_path)
    port = free_port()
    process = cli.start("smtp", "--port", str(port))
    try:
        _wait_for_smtp(port, process)
        children = _children(process.pid)
        assert len(children) >= 2  # the workers (and multiprocessing's resource tracker)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(process_running(pid) for pid in children):
            assert time.monotonic() < deadline, "a worker outlived the SMTP server"
            time.sleep(0.1)
    finally:
        if process.poll() is None:
            process.kill()
