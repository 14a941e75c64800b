"""What ``serve --demo`` tells a newcomer, once the service is ready: how to sign in,
where e-mail goes, how to pick another port; framed and printed after the start-up log
lines (the read models caught up), so it is not buried under them."""

from __future__ import annotations

import threading

import click

from lucy_events.bootstrap import Services
from lucy_events.web.consistency import wait_until_read_models_show

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


def show_when_ready(services: Services, lines: list[str], timeout: float = 120.0) -> None:
    """Print ``lines`` in a frame from a thread, once the read models show the whole
    store (or after ``timeout``), while the server starts serving."""
    target = services.app.recorder.max_notification_id() or 0

    def show() -> None:
        wait_until_read_models_show(services, timeout, target=target)
        port_hint = "Another port: make run PORT=8001, or lucy-events serve --port 8001."
        click.echo("\n".join(["", RULE, *lines, port_hint, RULE, ""]), err=True)

    threading.Thread(target=show, name="banner", daemon=True).start()
