"""The one place that builds real adapters from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiosmtpd.controller import Controller
from kafka import KafkaProducer

from lucy_events.aggregates.client import Client
from lucy_events.application import LucyApplication
from lucy_events.application.base import utc_now
from lucy_events.blobs import BlobStore, FilesystemBlobStore
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import Handler
from lucy_events.bus.wakeups import InProcessWakeup, PostgresWakeup, Wakeup
from lucy_events.config import Settings, dns_resolver_address, smtp_relay_settings
from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
from lucy_events.intake.mail_intake import MailIntake
from lucy_events.intake.sender_auth import Authenticator
from lucy_events.intake.smtp_server import smtp_controller, tls_context
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

    def __post_init__(self) -> None:
        self.read_db = Database.from_url(self.settings.read_database_url)

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

        return [projection(self.read_db) for projection in PROJECTIONS.values()]

    def delivery_handlers(self) -> list[Handler]:
        return [AutoSend(self.app), Router(self.app, self.integrations().for_package)]

    def inbox_address(self, client: Client) -> str:
        """The client's inbox address: ``<slug>@LUCY_INBOX_DOMAIN``."""
        return f"{client.inbox_local_part}@{self.settings.inbox_domain}"

    def mail_intake(self) -> MailIntake:
        """The SMTP intake's decisions and recording, over the inbox addresses read
        model and one DNS resolver for SPF and DKIM."""
        from lucy_events.projections.inbox_addresses import (
            InboxAddressesProjection,
            client_of_local_part,
        )

        InboxAddressesProjection(self.read_db).ensure_tables()
        address = self.settings.dns_resolver
        resolver = resolver_at(dns_resolver_address(address) if address else None)
        return MailIntake(
            self.app, lambda local_part: client_of_local_part(self.read_db, local_part),
            Authenticator(DnsLookups(resolver)), self.settings.inbox_domain,
        )

    def smtp_server(self, host: str | None = None, port: int | None = None) -> Controller:
        settings = self.settings
        tls = (tls_context(settings.smtp_tls_cert, settings.smtp_tls_key)
               if settings.smtp_tls_cert and settings.smtp_tls_key else None)
        return smtp_controller(
            self.mail_intake(), host=host or settings.smtp_host,
            port=settings.smtp_port if port is None else port,
            size_limit=settings.max_upload_bytes, tls=tls,
        )

    def close(self) -> None:
        self.app.close()
        self.read_db.close()


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
