"""Every retry policy of the service, named, with explicit stop and wait."""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog
from eventsourcing.persistence import IntegrityError
from kafka.errors import KafkaError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_when_event_set,
    wait_exponential_jitter,
    wait_random,
)

log = structlog.get_logger()

#: A command whose aggregate changed between load and save is run again from the load,
#: a few times with a little jitter; then the conflict surfaces (HTTP 409).
COMMAND_CONFLICTS = Retrying(
    retry=retry_if_exception_type(IntegrityError),
    stop=stop_after_attempt(4),
    wait=wait_random(0, 0.02),
    reraise=True,
)


def relay_publishing(stop: threading.Event) -> Retrying:
    """The relay keeps trying a batch the broker did not acknowledge, backing off
    exponentially (0.2 s up to 5 s, with jitter), until it succeeds or the relay stops."""
    return Retrying(
        retry=retry_if_exception_type(KafkaError),
        stop=stop_when_event_set(stop),
        wait=wait_exponential_jitter(multiplier=0.2, max=5, jitter=0.2),
        before_sleep=_log_retry("relay batch not acknowledged; backing off"),
        reraise=True,
    )


def _log_retry(message: str) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(message, attempt=state.attempt_number, error=repr(error),
                    sleep=round(state.upcoming_sleep, 2))

    return before_sleep
