"""Processes of one deployment start together and each creates the event store's schema."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env


def test_applications_started_at_once_on_an_empty_postgres_schema_all_come_up(
    postgres_url: str,
) -> None:
    ready = threading.Barrier(6)

    def start() -> LucyApplication:
        ready.wait()  # as the relay, router, projector and API processes do
        return LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore())

    for _ in range(3):  # the race is a matter of timing: give it several chances
        with ThreadPoolExecutor(max_workers=6) as pool:
            apps = list(pool.map(lambda _: start(), range(6)))
        firm = apps[0].register_firm("Started Together", Actor.system("test"))
        assert all(app.firm(firm).name == "Started Together" for app in apps)
        for app in apps:
            app.close()
