"""Every retry policy of the service, named, with explicit stop and wait (the delivery
policy lives beside the errors it retries: ``routers.integrations.retrying``)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog
from eventsourcing.persistence import IntegrityError, InternalError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    stop_when_event_set,
    wait_exponential_jitter,
    wait_random,
)

from lucy_events.bus.faults import Fault, classify, is_infrastructure_failure

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
        before_sleep=log_retry("creating the event store's schema raced another process"),
        reraise=True,
    )


def relay_publishing(stop: threading.Event) -> Retrying:
    """The relay keeps trying a batch the broker did not acknowledge, or that it could not
    read or settle because the database is away (any infrastructure failure), backing off
    exponentially (0.2 s up to 5 s, with jitter), until it succeeds or the relay stops."""
    return Retrying(
        retry=retry_if_exception(is_infrastructure_failure),
        stop=stop_when_event_set(stop),
        wait=wait_exponential_jitter(multiplier=0.2, max=5, jitter=0.2),
        sleep=_sleep_unless(stop),
        before_sleep=log_retry("relay batch not acknowledged; backing off"),
        reraise=True,
    )


def log_retry(message: str) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(message, attempt=state.attempt_number, error=repr(error),
                    sleep=round(state.upcoming_sleep, 2))

    return before_sleep


def consumer_outage(
    stop: threading.Event, *, before_sleep: Callable[[RetryCallState], None] | None = None,
) -> Retrying:
    """A consumer whose database, broker or network fails (``bus.faults``: an outage, or
    contention on an aggregate) tries the same call again, with nothing committed,
    backing off exponentially from 0.5 s to at most 10 s (with jitter), logging each
    retry. It never gives up while the process runs, however long the outage lasts: only
    a stop of the consumer ends the wait, and then the last error is raised."""
    return Retrying(
        retry=retry_if_exception(lambda error: classify(error) is Fault.OUTAGE),
        stop=stop_when_event_set(stop),
        wait=wait_exponential_jitter(multiplier=0.5, max=10, jitter=0.5),
        sleep=_sleep_unless(stop),
        before_sleep=before_sleep or log_retry("infrastructure failure; waiting it out"),
        reraise=True,
    )


def consumer_restarts(
    stop: threading.Event, *, restarts: int = 5, first_wait: float = 1.0,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> Retrying:
    """A consumer that crashed on a bug (an error that is neither poison nor an outage)
    is started again from its last commit after 1 s, 2 s, 4 s... (at most 60 s),
    ``restarts`` times over the process's life; after that the last error is raised and
    the runner stops the process with a non-zero exit, for its supervisor to see."""
    return Retrying(
        retry=retry_if_exception_type(Exception),
        stop=stop_after_attempt(restarts + 1) | stop_when_event_set(stop),
        wait=wait_exponential_jitter(multiplier=first_wait, max=60, jitter=first_wait / 2),
        sleep=_sleep_unless(stop),
        before_sleep=before_sleep or log_retry("consumer crashed; restarting"),
        reraise=True,
    )


def _sleep_unless(stop: threading.Event) -> Callable[[float], None]:
    """Sleep that a stop interrupts, so stopping never waits for a backoff to end."""

    def sleep(seconds: float) -> None:
        stop.wait(seconds)

    return sleep


def mail_sending() -> Retrying:
    """An e-mail the service sends itself (an invitation, a reminder) whose relay is
    briefly away or says "not now" (4xx) is tried again: 3 attempts, 0.5 s then up to
    2 s apart (with jitter), so a click waits at most a few seconds; then the failure
    is surfaced to whoever asked (never dropped)."""
    from lucy_events.notifications.mailer import TransientMailError

    return Retrying(
        retry=retry_if_exception_type(TransientMailError),
        stop=stop_after_attempt(3),
        wait=wait_exponential_jitter(multiplier=0.5, max=2, jitter=0.2),
        before_sleep=log_retry("e-mail not sent; trying again"),
        reraise=True,
    )
