"""The one place that builds real adapters from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lucy_events.application import LucyApplication
from lucy_events.application.base import utc_now
from lucy_events.blobs import BlobStore, FilesystemBlobStore
from lucy_events.config import Settings


@dataclass
class Services:
    settings: Settings
    app: LucyApplication

    def close(self) -> None:
        self.app.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    blobs: BlobStore | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Services:
    settings = settings or Settings.from_env()
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = LucyApplication(
        settings.eventsourcing_env(),
        blobs=blobs or FilesystemBlobStore(settings.blob_dir),
        clock=clock,
    )
    return Services(settings=settings, app=app)
