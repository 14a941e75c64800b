"""The HTTP server of ``serve`` and ``api``: waitress, told the largest body it may take.

waitress reads a request's whole body into its buffer before it calls the application
(up to 1 GB by default), so a limit checked only in the application comes after the
upload was received. With ``max_request_body_size`` set from the same setting, waitress
answers 413 itself from a declared Content-Length before reading the body, and stops a
chunked body as soon as it passes the limit.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from lucy_events.web.body_limit import request_body_limit

THREADS = 8


def waitress_options(max_upload_bytes: int) -> dict[str, Any]:
    # waitress refuses a body of max_request_body_size bytes or more; ours may be the limit.
    return {"max_request_body_size": request_body_limit(max_upload_bytes) + 1,
            "threads": THREADS}


def create_server(app: Flask, *, host: str, port: int, max_upload_bytes: int) -> Any:
    """A waitress server (not yet running: ``.run()``; ``.close()`` to stop)."""
    from waitress.server import create_server as create_waitress

    return create_waitress(app, host=host, port=port,
                           **waitress_options(max_upload_bytes))


def stop_in_thread(server: Any, thread: threading.Thread, timeout: float = 10) -> None:
    """Stop a server ``create_server`` made that ``thread`` runs: its sockets closed by its
    own loop (closed from another thread, they raced the loop's ``select``, which then
    failed on a closed descriptor in the server's thread), then its request threads."""
    server.trigger.pull_trigger(server.close)
    thread.join(timeout)
    server.task_dispatcher.shutdown()
