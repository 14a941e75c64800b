"""A clean stop on SIGTERM or SIGINT for the long-running commands."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import structlog

log = structlog.get_logger()


def stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop
