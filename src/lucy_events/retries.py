"""Every retry policy of the service, named, with explicit stop and wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError, InternalError
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


def schema_creating() -> Retrying:
    """Processes starting together may race to create the event store's schema; the
    loser of a catalogue race tries again shortly (a few times), then the error surfaces."""
    return Retrying(
        retry=retry_if_exception_type((IntegrityError, InternalError)),
        stop=stop_after_attempt(5),
        wait=wait_random(0.05, 0.3),
        before_sleep=_log_retry("creating the event store's schema raced another process"),
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


def delivery_retrying(
    attempts: int = 5, first_wait: float = 0.5, max_wait: float = 30.0,
    sleep: Callable[[float], None] | None = None,
) -> Retrying:
    """A transient delivery failure (network, timeout, 5xx, 429) is retried with
    exponential backoff and jitter, never sooner than the package's own ``retry_after``,
    a bounded number of times; then the router records SendFailed(retryable=True).
    Permanent failures and refusals are never retried here."""
    from lucy_events.routers.integrations.base import TransientDeliveryError

    backoff = wait_exponential_jitter(multiplier=first_wait, max=max_wait, jitter=first_wait)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return max(backoff(state), getattr(error, "retry_after", None) or 0.0)

    options: dict[str, Any] = {"sleep": sleep} if sleep else {}
    return Retrying(
        retry=retry_if_exception_type(TransientDeliveryError),
        stop=stop_after_attempt(attempts),
        wait=wait,
        before_sleep=_log_retry("delivery failed; retrying"),
        reraise=True,
        **options,
    )
