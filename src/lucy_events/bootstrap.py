"""The one place that builds real adapters from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

from kafka import KafkaAdminClient, KafkaProducer

from lucy_events.application import LucyApplication
from lucy_events.application.base import utc_now
from lucy_events.blobs import BlobStore, FilesystemBlobStore
from lucy_events.bus.kafka_settings import admin_settings, producer_settings
from lucy_events.bus.lag import KafkaLag, LagReader, dead_letter_counts
from lucy_events.bus.relay import Relay
from lucy_events.bus.relay_lock import FileRelayLock, PostgresRelayLock, RelayLock
from lucy_events.bus.runtime import Handler
from lucy_events.bus.wakeups import InProcessWakeup, PostgresWakeup, Wakeup
from lucy_events.config import Settings, smtp_relay_settings
from lucy_events.metrics import Metrics, StoreCollector
from lucy_events.routers.auto_send import AutoSend
from lucy_events.routers.integrations.credentials import FileSecretStore
from lucy_events.routers.integrations.email import SmtpRelay
from lucy_events.routers.integrations.registry import AdapterSettings, Integrations
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database


@dataclass
class Services:
    settings: Settings
    app: LucyApplication
    read_db: Database = field(init=False)
    metrics: Metrics = field(init=False)
    _admin: KafkaAdminClient | None = field(init=False, default=None)
    _lag: LagReader | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.read_db = Database.from_url(self.settings.read_database_url)
        self.metrics = Metrics()
        self.metrics.watch(StoreCollector(
            self.store_head, self.lag_reader, lambda: dead_letter_counts(self.read_db),
            self._dlq_topic_sizes if self.settings.kafka_bootstrap else None))

    def store_head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def serve_metrics(self) -> None:
        """A worker without HTTP (``project``, ``route``, ``relay``) serves its own
        /metrics on LUCY_METRICS_PORT (on the HTTP host), when set: its handler times and
        deliveries are measured in its process."""
        if self.settings.metrics_port is not None:
            from prometheus_client import start_http_server

            start_http_server(self.settings.metrics_port, addr=self.settings.http_host,
                              registry=self.metrics.registry)

    def kafka_admin(self) -> KafkaAdminClient:
        """The process's one Kafka admin client, built on first use, closed with the
        services (lag, metrics, topics)."""
        if self._admin is None:
            # Short: a scrape of /metrics with the brokers away must answer (lag left out)
            # within Prometheus' 10 s scrape timeout, not after the default 30 s.
            self._admin = KafkaAdminClient(**admin_settings(
                self.kafka_bootstrap(), request_timeout_ms=5_000, bootstrap_timeout_ms=5_000))
        return self._admin

    def consumer_handlers(self) -> list[Handler]:
        """Every handler this service runs: their names are the consumer groups (and the
        tracking names in-process), their topics what they read."""
        return [*self.projection_handlers(), *self.delivery_handlers()]

    def lag_reader(self) -> LagReader:
        """How far behind each consumer that really runs is, on Kafka or in-process; its
        Kafka admin client connects on the first read."""
        if self._lag is None:
            consumers = [_Named(h.name, tuple(h.topics)) for h in self.consumer_handlers()]
            kafka = KafkaLag(self.kafka_admin) if self.settings.kafka_bootstrap else None
            self._lag = LagReader(self.read_db, self.store_head, consumers, kafka)
        return self._lag

    def _dlq_topic_sizes(self) -> dict[str, int]:
        from lucy_events.bus.catalogue import TOPICS
        from lucy_events.bus.dead_letters import DLQ_SUFFIX

        kafka = self.lag_reader().kafka
        assert kafka is not None
        return kafka.topic_sizes([t + DLQ_SUFFIX for t in TOPICS])

    def store_wakeup(self) -> Wakeup:
        """How a follower of the event store in this process learns of new events."""
        if self.settings.is_postgres:
            url = self.settings.database_url.split("?")[0]
            return PostgresWakeup(url, self.app.recorder.channel_name)  # type: ignore[attr-defined]
        return InProcessWakeup(self.app.subscribe_saved())

    def kafka_bootstrap(self) -> str:
        if not self.settings.kafka_bootstrap:
            raise SystemExit("LUCY_KAFKA_BOOTSTRAP is not set: name the Kafka brokers")
        return self.settings.kafka_bootstrap

    def relay(self, **options: object) -> Relay:
        """The relay as ``lucy-events relay`` runs it: reading and encoding in a child
        process (the second core) while catching up, in this one while following the
        head; producing in this one."""
        bootstrap = self.kafka_bootstrap()
        return Relay(
            self.app, self.read_db, lambda: KafkaProducer(**producer_settings(bootstrap)),
            wakeup=self.store_wakeup(), reader="adaptive", **options,  # type: ignore[arg-type]
        )

    def relay_lock(self) -> RelayLock:
        """The lock that makes one relay active and the others hot standbys: an advisory
        lock in the event store's PostgreSQL database (per schema), or a file lock beside
        the SQLite event store."""
        if self.settings.is_postgres:
            url, _, query = self.settings.database_url.partition("?")
            schema = parse_qs(query).get("schema", ["public"])[0]
            return PostgresRelayLock(url, f"lucy_events.relay:{schema}")
        env = self.settings.eventsourcing_env()
        return FileRelayLock(Path(env["SQLITE_DBNAME"] + ".relay.lock"))

    def kafka_producer(self) -> KafkaProducer:
        """A producer with the relay's guarantees (republish uses it)."""
        return KafkaProducer(**producer_settings(self.kafka_bootstrap()))

    def integrations(self) -> Integrations:
        relay = self.settings.smtp_relay_url
        adapter_settings = AdapterSettings(
            smtp_relay=SmtpRelay(**smtp_relay_settings(relay)) if relay else None,  # type: ignore[arg-type]
        )
        secrets_file = self.settings.secrets_file or self.settings.data_dir / "secrets.json"
        secrets = FileSecretStore(secrets_file)
        return Integrations(secrets, adapter_settings)

    def projection_handlers(self) -> list[Handler]:
        from lucy_events.projections import PROJECTIONS

        return [self.metrics.measured(projection(self.read_db))
                for projection in PROJECTIONS.values()]

    def delivery_handlers(self) -> list[Handler]:
        return [self.metrics.measured(handler) for handler in (
            AutoSend(self.app),
            Router(self.app, self.integrations().for_package, metrics=self.metrics))]

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        self.app.close()
        self.read_db.close()


@dataclass(frozen=True)
class _Named:
    """A handler's name and topics, all the lag reader keeps of it."""

    name: str
    topics: tuple[str, ...]


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
