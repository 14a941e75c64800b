"""Every retry policy of the service, named, with explicit stop and wait."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random

#: A command whose aggregate changed between load and save is run again from the load,
#: a few times with a little jitter; then the conflict surfaces (HTTP 409).
COMMAND_CONFLICTS = Retrying(
    retry=retry_if_exception_type(IntegrityError),
    stop=stop_after_attempt(4),
    wait=wait_random(0, 0.02),
    reraise=True,
)
