"""What ``serve --demo`` tells a newcomer, once the service is ready: how to sign in,
where e-mail goes, how to pick another port; framed and printed after the start-up log
lines (every consumer caught up with the store), so it is not buried under them."""

from __future__ import annotations

import threading
import time

import click

from lucy_events.bootstrap import Services
from lucy_events.bus import positions

RULE = "─" * 78


def mail_lines(services: Services, url: str) -> list[str]:
    if services.outbox() is not None:
        return [f"E-mail (invitations, e-mail packages) goes to the outbox: {url}/outbox",
                "  (set LUCY_SMTP_RELAY=smtp://user:pw@host:587?from=... to send it for real)"]
    return ["E-mail goes out through the SMTP relay of LUCY_SMTP_RELAY."]


def port_taken(host: str, port: int, error: OSError) -> str:
    return (f"cannot listen on {host}:{port} ({error.strerror or error}). Pick another "
            f"port: make run PORT={port + 1}, or lucy-events serve --port {port + 1} "
            f"(or set LUCY_HTTP_PORT).")


def caught_up(services: Services) -> bool:
    """Every consumer of this process has gone through the newest event (recognition
    adds events as it reads the demo's documents: the head moves until it is done)."""
    head = services.app.recorder.max_notification_id() or 0
    names = [status.consumer for status in services.consumer_statuses.snapshot()]
    with services.read_db.transaction() as tx:
        positions.create_table(tx)
        return all(positions.load(tx, name).get(("log", 0), 0) >= head for name in names)


def show_when_ready(services: Services, lines: list[str], timeout: float = 120.0) -> None:
    """Print ``lines`` in a frame from a thread once the consumers have caught up (or
    after ``timeout``), while the server starts serving."""
    def show() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not caught_up(services):
            time.sleep(0.25)
        port_hint = "Another port: make run PORT=8001, or lucy-events serve --port 8001."
        click.echo("\n".join(["", RULE, *lines, port_hint, RULE, ""]), err=True)

    threading.Thread(target=show, name="banner", daemon=True).start()
