"""Read your own writes (kept for the API and dashboard modules that import it).

The log source now records how far it has scanned, past events of other topics, so a
read model's position reaches every save and ``web.consistency`` can compare directly.
"""

from __future__ import annotations

from lucy_events.bootstrap import Services
from lucy_events.web.consistency import wait_until_read_models_show


def wait_for_own_writes(services: Services, timeout: float = 3.0) -> bool:
    """True when every read model shows this thread's latest save (embedded default
    only: on Kafka the read models catch up on their own and this returns False)."""
    return wait_until_read_models_show(services, timeout)
