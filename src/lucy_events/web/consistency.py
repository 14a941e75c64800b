"""Read your own writes: after a command, wait (briefly) until the read models have
processed it, so the next page or list shows what the user just did.

Only the embedded default can tell (its consumers track notification ids); on Kafka the
read models catch up on their own and responses do not wait.
"""

from __future__ import annotations

import time

from flask import current_app

from lucy_events.bootstrap import Services
from lucy_events.bus import positions
from lucy_events.projections.catalogue import PROJECTIONS

#: Every read model this service keeps (by their consumer names).
READ_MODELS = tuple(PROJECTIONS)


def wait_for_read_models(timeout: float = 3.0) -> bool:
    """True when every read model has processed this request thread's latest save."""
    return wait_until_read_models_show(current_app.extensions["lucy"], timeout)


def wait_until_read_models_show(services: Services, timeout: float = 3.0) -> bool:
    if services.settings.kafka_bootstrap:
        return False
    target = services.app.last_saved_position
    if not target:
        return True
    deadline = time.monotonic() + timeout
    while True:
        with services.read_db.transaction() as tx:
            positions.create_table(tx)
            behind = [name for name in READ_MODELS
                      if positions.load(tx, name).get(("log", 0), 0) < target]
        if not behind or time.monotonic() > deadline:
            return not behind
        time.sleep(0.01)
