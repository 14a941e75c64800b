"""The delivery retry policy, beside the errors it tells apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from lucy_events.retries import log_retry
from lucy_events.routers.integrations.base import TransientDeliveryError


def delivery_retrying(
    attempts: int = 5, first_wait: float = 0.5, max_wait: float = 30.0,
    sleep: Callable[[float], None] | None = None,
    transient: tuple[type[BaseException], ...] = (TransientDeliveryError,),
) -> Retrying:
    """A transient delivery failure (network, timeout, 5xx, 429) is retried with
    exponential backoff and jitter, never sooner than the package's own ``retry_after``,
    a bounded number of times; then the router records SendFailed(retryable=True).
    Permanent failures and refusals are never retried here. ``transient``: the errors
    that count as transient (the multisender's worker passes the mail backend's)."""
    backoff = wait_exponential_jitter(multiplier=first_wait, max=max_wait, jitter=first_wait)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return max(backoff(state), getattr(error, "retry_after", None) or 0.0)

    options: dict[str, Any] = {"sleep": sleep} if sleep else {}
    return Retrying(
        retry=retry_if_exception_type(transient),
        stop=stop_after_attempt(attempts),
        wait=wait,
        before_sleep=log_retry("delivery failed; retrying"),
        reraise=True,
        **options,
    )
