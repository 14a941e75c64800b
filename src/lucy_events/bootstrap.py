"""The one place that builds real adapters from settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import structlog

from lucy_events.aggregates.client import Client
from lucy_events.application import LucyApplication
from lucy_events.application.base import utc_now
from lucy_events.audit.person_keys import PersonKeys
from lucy_events.blobs import BlobStore, FilesystemBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.lag import LagReader, dead_letter_counts
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runner import Consumer, ConsumerRunner
from lucy_events.bus.runtime import ConsumerRuntime, DeadLetters, Handler
from lucy_events.bus.status import ConsumerStatuses
from lucy_events.bus.wakeups import InProcessWakeup, Wakeup
from lucy_events.config import Settings, dns_resolver_address, smtp_relay_settings
from lucy_events.metrics import Metrics, StoreCollector
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.outbox import Outbox
from lucy_events.notifications.smtp import SmtpMailer, SmtpRelay
from lucy_events.projections.client_numbers import ClientNumbers
from lucy_events.sqldb import Database

# Adapters a command may not need are imported where they are built: a command on the
# embedded default never loads the Kafka client, psycopg, aiosmtpd or prometheus_client.
if TYPE_CHECKING:
    from uuid import UUID

    from aiosmtpd.controller import Controller
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

    from lucy_events.aggregates.actors import Actor
    from lucy_events.audit.erasure import Erasure
    from lucy_events.bus.dead_letter_replay import DeadLetterReplay
    from lucy_events.bus.dead_letters import KafkaDeadLetters
    from lucy_events.bus.kafka_source import KafkaSource
    from lucy_events.bus.relay import Relay
    from lucy_events.bus.relay_lock import RelayLock
    from lucy_events.intake.mail_intake import MailIntake
    from lucy_events.invoicing.delivery_checks import InvoiceDeliveryChecks
    from lucy_events.invoicing.peppol_sending import InvoicePeppol
    from lucy_events.invoicing.sending import InvoiceMail, InvoiceSending
    from lucy_events.multisender.commands import MultisenderCommands
    from lucy_events.notifications.client_reminders import ClientReminders
    from lucy_events.notifications.client_user_mail import ClientUserMail
    from lucy_events.notifications.digests import Digests
    from lucy_events.notifications.invitations import InvitationMail
    from lucy_events.notifications.ledger import SentMail
    from lucy_events.notifications.reminders import InvitationReminders
    from lucy_events.peppol.lookup import PeppolLookup
    from lucy_events.peppol.provider import FirmPeppolProvider
    from lucy_events.peppol.sending_setup import PeppolSending
    from lucy_events.register import RegisterSearch
    from lucy_events.routers.integrations.credentials import SecretStore
    from lucy_events.routers.integrations.registry import Integrations
    from lucy_events.routers.package_consent import PackageConsent
    from lucy_events.routers.portal_setup import PortalSetup
    from lucy_events.staff_admin import StaffAdmin
    from lucy_events.web.dashboard.previews import Previews


def kafka_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    from kafka import KafkaProducer

    from lucy_events.bus.kafka_settings import producer_settings

    return KafkaProducer(**producer_settings(bootstrap, **overrides))


def kafka_consumer(bootstrap: str, group_id: str, *, latency_sensitive: bool = False,
                   **overrides: Any) -> KafkaConsumer:
    from kafka import KafkaConsumer

    from lucy_events.bus.kafka_settings import consumer_settings

    return KafkaConsumer(**consumer_settings(
        bootstrap, group_id, latency_sensitive=latency_sensitive, **overrides))


def kafka_source(bootstrap: str, group_id: str, topics: Iterable[str], *,
                 latency_sensitive: bool = False, **overrides: Any) -> KafkaSource:
    """A member of the consumer group ``group_id`` (a handler's name), subscribed."""
    from lucy_events.bus.kafka_source import KafkaSource

    return KafkaSource(kafka_consumer(bootstrap, group_id, latency_sensitive=latency_sensitive,
                                      **overrides), group_id, topics)


def kafka_dead_letters(bootstrap: str, db: Database) -> KafkaDeadLetters:
    from lucy_events.bus.dead_letters import KafkaDeadLetters

    return KafkaDeadLetters(kafka_producer(bootstrap), StoreDeadLetters(db))


@dataclass
class Services:
    settings: Settings
    app: LucyApplication
    #: The SMTP intake's worker processes (LUCY_INTAKE_PROCESSES; 0: in this process).
    intake_processes: int = 0
    read_db: Database = field(init=False)
    #: how this process's consumers are doing (the health endpoint and metrics read it)
    consumer_statuses: ConsumerStatuses = field(default_factory=ConsumerStatuses)
    metrics: Metrics = field(init=False)
    _admin: KafkaAdminClient | None = field(init=False, default=None)
    _lag: LagReader | None = field(init=False, default=None)
    _company_register: RegisterSearch | None = field(default=None, init=False, repr=False)
    _mailer: Mailer | None = field(default=None, init=False, repr=False)
    _sent_mail: SentMail | None = field(default=None, init=False, repr=False)
    _peppol_lookup: PeppolLookup | None = field(default=None, init=False, repr=False)
    _secret_store: SecretStore | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        keys = self.app.person_keys
        if keys is not None and keys.url == self.settings.read_database_url:
            self.read_db = keys.db  # one pool where both live in one database (PostgreSQL)
        else:
            self.read_db = Database.from_url(self.settings.read_database_url,
                                             timeout=self.settings.database_timeout)
        self.app.client_lookup = ClientNumbers(self.read_db)
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
            from kafka import KafkaAdminClient

            from lucy_events.bus.kafka_settings import admin_settings

            # Short: a scrape of /metrics with the brokers away must answer (lag left out)
            # within Prometheus' 10 s scrape timeout, not after the default 30 s.
            self._admin = KafkaAdminClient(**admin_settings(
                self.kafka_bootstrap(), request_timeout_ms=5_000, bootstrap_timeout_ms=5_000))
        return self._admin

    def consumer_handlers(self) -> list[Handler]:
        """Every handler this service runs: their names are the consumer groups (and the
        tracking names in-process), their topics what they read."""
        return [*self.projection_handlers(), *self.delivery_handlers(),
                *self.recognition_handlers()]

    def lag_reader(self) -> LagReader:
        """How far behind each consumer that really runs is, on Kafka or in-process; its
        Kafka admin client connects on the first read."""
        if self._lag is None:
            from lucy_events.bus.kafka_lag import KafkaLag

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
            from lucy_events.bus.wakeups import PostgresWakeup

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
        from lucy_events.bus.relay import Relay

        bootstrap = self.kafka_bootstrap()
        return Relay(
            self.app, self.read_db, lambda: kafka_producer(bootstrap),
            wakeup=self.store_wakeup(), reader="adaptive", **options,  # type: ignore[arg-type]
        )

    def relay_lock(self) -> RelayLock:
        """The lock that makes one relay active and the others hot standbys: an advisory
        lock in the event store's PostgreSQL database (per schema), or a file lock beside
        the SQLite event store."""
        from lucy_events.bus.relay_lock import FileRelayLock, PostgresRelayLock

        if self.settings.is_postgres:
            url, _, query = self.settings.database_url.partition("?")
            schema = parse_qs(query).get("schema", ["public"])[0]
            return PostgresRelayLock(url, f"lucy_events.relay:{schema}")
        env = self.settings.eventsourcing_env()
        return FileRelayLock(Path(env["SQLITE_DBNAME"] + ".relay.lock"))

    def kafka_producer(self) -> KafkaProducer:
        """A producer with the relay's guarantees (republish uses it)."""
        return kafka_producer(self.kafka_bootstrap())

    def integrations(self) -> Integrations:
        from lucy_events.routers.integrations.registry import AdapterSettings, Integrations

        return Integrations(self.secret_store(), AdapterSettings(mailer=self.mailer()))

    def secret_store(self) -> SecretStore:
        """Package credentials, encrypted in the read database (LUCY_SECRETS_KEY); the
        old LUCY_SECRETS_FILE is taken over the first time (one instance per process)."""
        if self._secret_store is None:
            from lucy_events.routers.integrations.encrypted_secrets import (
                DatabaseSecretStore,
                secrets_key,
            )

            settings = self.settings
            store = DatabaseSecretStore(
                self.read_db, secrets_key(settings.secrets_key, Path(settings.data_dir)))
            store.migrate_file(Path(settings.secrets_file or settings.data_dir
                                    / "secrets.json"))
            self._secret_store = store
        return self._secret_store

    def projection_handlers(self) -> list[Handler]:
        from lucy_events.projections import PROJECTIONS

        handlers = [projection(self.read_db) for projection in PROJECTIONS.values()]
        for handler in handlers:  # a newer version's columns exist before the first query
            handler.ensure_tables()
        return [self.metrics.measured(handler) for handler in handlers]

    def delivery_handlers(self) -> list[Handler]:
        from lucy_events.multisender.delivery import MultisendDelivery
        from lucy_events.routers.router import Router

        return [self.metrics.measured(handler) for handler in (
            Router(self.app, self.integrations().for_package, metrics=self.metrics),
            MultisendDelivery(self.app, self.mailer(), self.sent_mail()))]

    def dead_letter_store(self) -> StoreDeadLetters:
        return StoreDeadLetters(self.read_db)

    def dead_letters(self) -> DeadLetters:
        """Where this process's consumers park messages: ``<topic>.dlq`` and the store on
        Kafka, the store in-process; ops act on the store's rows either way."""
        if self.settings.kafka_bootstrap:
            return kafka_dead_letters(self.settings.kafka_bootstrap, self.read_db)
        return self.dead_letter_store()

    def consumer_runner(
        self, handlers: Sequence[Handler], *, poll_timeout: float = 1.0, **options: Any,
    ) -> ConsumerRunner:
        """The handlers' consumers: each in its own consumer group (named after the
        handler) on Kafka when LUCY_KAFKA_BOOTSTRAP is set, else from the event store's
        log in this process. ``options`` go to the runner (``on_failure``, ``restarting``)."""
        dead_letters = self.dead_letters()
        bootstrap = self.settings.kafka_bootstrap

        def build(handler: Handler) -> Callable[[], ConsumerRuntime]:
            def runtime() -> ConsumerRuntime:
                source = (kafka_source(bootstrap, handler.name, handler.topics,
                                       latency_sensitive=handler.latency_sensitive)
                          if bootstrap
                          else LogSource(self.app, self.read_db, handler.name, handler.topics))
                return ConsumerRuntime(source, handler, dead_letters,
                                       poll_timeout=poll_timeout,
                                       statuses=self.consumer_statuses)
            return runtime

        return ConsumerRunner([Consumer(h.name, build(h)) for h in handlers],
                              self.consumer_statuses, **options)

    def dead_letter_replay(self) -> DeadLetterReplay:
        """Replays parked messages through the handlers that parked them."""
        from lucy_events.bus.dead_letter_replay import DeadLetterReplay

        return DeadLetterReplay(self.dead_letter_store(), self.app,
                                [*self.projection_handlers(), *self.delivery_handlers()])

    def recognition_handlers(self) -> list[Handler]:
        """The recognition worker, with the real pipeline and the duplicate index in
        the read database."""
        from lucy_events.recognition.duplicates import DuplicateIndex
        from lucy_events.recognition.ocr import ocr_unavailable_reason
        from lucy_events.recognition.pipeline import recognise
        from lucy_events.recognition.worker import RecognitionWorker

        unavailable = ocr_unavailable_reason()
        if unavailable:  # said once, where the worker starts (serve, recognise)
            structlog.get_logger().warning("recognition runs without OCR", reason=unavailable)

        return [RecognitionWorker(self.app, DuplicateIndex(self.read_db), recognise,
                                  time_limit=self.settings.recognition_time_limit)]

    def previews(self) -> Previews:
        """Pictures of documents' first pages, cached under the data directory."""
        from lucy_events.web.dashboard.previews import Previews

        return Previews(self.settings.data_dir / "previews")

    def inbox_address(self, client: Client) -> str:
        """The client's inbox address: ``<slug>@LUCY_INBOX_DOMAIN``."""
        return f"{client.inbox_local_part}@{self.settings.inbox_domain}"

    def mail_intake(self) -> MailIntake:
        """The SMTP intake's decisions and recording, over the inbox addresses read
        model and one DNS resolver for SPF and DKIM."""
        from lucy_events.intake.allowed_senders import AllowedSenders
        from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
        from lucy_events.intake.mail_intake import MailIntake
        from lucy_events.intake.sender_auth import Authenticator
        from lucy_events.projections.inbox_addresses import (
            InboxAddressesProjection,
            client_of_local_part,
            projected_senders,
        )

        InboxAddressesProjection(self.read_db).ensure_tables()
        address = self.settings.dns_resolver
        resolver = resolver_at(dns_resolver_address(address) if address else None)
        return MailIntake(
            self.app, lambda local_part: client_of_local_part(self.read_db, local_part),
            AllowedSenders(self.app, lambda client_id: projected_senders(self.read_db,
                                                                         client_id)),
            Authenticator(DnsLookups(resolver)), self.settings.inbox_domain,
        )

    def smtp_server(self, host: str | None = None, port: int | None = None) -> Controller:
        """The SMTP intake's server (``lucy-events smtp``, and inside ``serve``), its mails
        taken in by ``intake_processes`` worker processes, each with services of its own
        from these settings, or in this process."""
        from lucy_events.intake.smtp_server import smtp_controller, tls_context
        from lucy_events.intake.worker_processes import IntakeWorkers

        settings = self.settings
        tls = (tls_context(settings.smtp_tls_cert, settings.smtp_tls_key)
               if settings.smtp_tls_cert and settings.smtp_tls_key else None)
        workers = (IntakeWorkers(settings, self.intake_processes,
                                 taken=self.app.saved_elsewhere)
                   if self.intake_processes else None)
        return smtp_controller(
            self.mail_intake(), host=host or settings.smtp_host,
            port=settings.smtp_port if port is None else port,
            size_limit=settings.max_upload_bytes, tls=tls, workers=workers,
        )

    def company_register(self) -> RegisterSearch:
        """The company register (KBO/BCE) in the read database, one per process."""
        if self._company_register is None:
            from lucy_events.register import RegisterSearch

            self._company_register = RegisterSearch(self.read_db)
        return self._company_register

    def mailer(self) -> Mailer:
        """The one outgoing-mail backend: the SMTP relay of LUCY_SMTP_RELAY, or else the
        local outbox under the data directory (one instance per process)."""
        if self._mailer is None:
            relay = self.settings.smtp_relay_url
            self._mailer = (
                SmtpMailer(SmtpRelay(**smtp_relay_settings(relay)))  # type: ignore[arg-type]
                if relay else Outbox(self.settings.data_dir / "outbox"))
        return self._mailer

    def invitation_mail(self) -> InvitationMail:
        """Invitations with their e-mail, sent once each through the mail backend."""
        from lucy_events.notifications.invitations import InvitationMail

        return InvitationMail(self.app, self.mailer(), self.sent_mail())

    def client_user_mail(self) -> ClientUserMail:
        """The client portal's e-mails (a user's invitation, a sign-in link), sent once
        each through the mail backend."""
        from lucy_events.notifications.client_user_mail import ClientUserMail

        return ClientUserMail(self.app, self.mailer(), self.sent_mail())

    def invoice_mail(self) -> InvoiceMail:
        """Issued invoices e-mailed to their customers, once each, through the mail
        backend."""
        from lucy_events.invoicing.sending import InvoiceMail

        return InvoiceMail(self.app, self.mailer(), self.sent_mail())

    def invoice_sending(self) -> InvoiceSending:
        """Issued invoices sent to their customers: over Peppol to a participant (the
        SML/SMP lookup), else by e-mail."""
        from lucy_events.invoicing.sending import InvoiceSending

        return InvoiceSending(self.app, self.invoice_mail(), self.invoice_peppol())

    def invoice_peppol(self) -> InvoicePeppol:
        """Invoices sent through the firm's Peppol access point, with the router's
        delivery retry policy (3 attempts within seconds: someone waits on the click)."""
        from lucy_events.invoicing.peppol_sending import InvoicePeppol
        from lucy_events.routers.integrations.retrying import delivery_retrying

        return InvoicePeppol(self.app, self.peppol_lookup(), self.peppol_sending(),
                             lambda: delivery_retrying(attempts=3, first_wait=0.5,
                                                       max_wait=4.0))

    def peppol_sending(self) -> PeppolSending:
        """The firm's access point for sending: its endpoint (read database) and token
        (secret store), built as an HttpAccessPoint."""
        from lucy_events.peppol.access_point import HttpAccessPoint
        from lucy_events.peppol.sending_setup import PeppolSending

        return PeppolSending(self.read_db, self.secret_store(), HttpAccessPoint)

    def invoice_delivery_checks(self) -> InvoiceDeliveryChecks:
        """The check of invoices sent over Peppol (``serve`` runs it every
        LUCY_PEPPOL_STATUS_INTERVAL seconds)."""
        from lucy_events.invoicing.delivery_checks import InvoiceDeliveryChecks

        return InvoiceDeliveryChecks(self.invoice_peppol(), self.read_db)

    def multisender(self) -> MultisenderCommands:
        """The client's own destinations and sendings; the confirmation links point at
        the dashboard (LUCY_PUBLIC_URL)."""
        from lucy_events.multisender.commands import MultisenderCommands

        base = self.public_url().rstrip("/")
        return MultisenderCommands(self.app, self.mailer(), self.sent_mail(),
                                   lambda token: f"{base}/portal/destinations/confirm/{token}")

    def sent_mail(self) -> SentMail:
        """The ledger of the service's own e-mails (each sent once)."""
        from lucy_events.notifications.ledger import SentMail

        if self._sent_mail is None:
            self._sent_mail = SentMail(self.read_db)
        return self._sent_mail

    def invitation_reminders(self) -> InvitationReminders:
        """The check that reminds firm contacts of invitations about to expire."""
        from lucy_events.notifications.reminders import InvitationReminders

        return InvitationReminders(self.app, self.read_db, self.mailer(), self.sent_mail(),
                                   self.public_url(), self.app.clock)

    def peppol_lookup(self) -> PeppolLookup:
        """The SML/SMP lookup: the zone of LUCY_PEPPOL_SML_ZONE, asked through
        LUCY_DNS_RESOLVER (or the system's resolver), every call bounded by a timeout."""
        from lucy_events.intake.dns_lookups import resolver_at
        from lucy_events.peppol.lookup import PeppolLookup

        if self._peppol_lookup is None:
            settings = self.settings
            address = settings.dns_resolver
            timeout = settings.peppol_lookup_timeout
            resolver = resolver_at(dns_resolver_address(address) if address else None,
                                   timeout)
            self._peppol_lookup = PeppolLookup(resolver, settings.peppol_sml_zone, timeout)
        return self._peppol_lookup

    def peppol_provider(self) -> FirmPeppolProvider:
        from lucy_events.peppol.provider import FirmPeppolProvider

        return FirmPeppolProvider(self.read_db)

    def public_url(self) -> str:
        """The dashboard's address for links in e-mails sent outside a request."""
        settings = self.settings
        return settings.public_url or f"http://{settings.http_host}:{settings.http_port}"

    def outbox(self) -> Outbox | None:
        """The local outbox, when that is where mail goes (no SMTP relay)."""
        mailer = self.mailer()
        return mailer if isinstance(mailer, Outbox) else None

    def erase_person(self, firm_id: UUID, identified_by: str, identity: str, reason: str,
                     by: Actor) -> Erasure:
        """Erase a person's personal data (audit/erasure.py): recorded, key destroyed,
        read models rebuilt as this process's consumers read them (log or Kafka)."""
        from lucy_events.audit.erasure import erase_person

        return erase_person(self.app, self.read_db, firm_id, identified_by, identity, reason,
                            by, live_reads_log=not self.settings.kafka_bootstrap)

    def staff_admin(self) -> StaffAdmin:
        """Inviting, re-roling and deactivating staff, with their links, tokens and
        sessions (firm-admin)."""
        from lucy_events.staff_admin import StaffAdmin

        return StaffAdmin(self.app, self.read_db, self.mailer(), self.sent_mail())

    def portal_setup(self) -> PortalSetup:
        """The firm-level set-up of API and FTP packages and their connection tests."""
        from lucy_events.routers.portal_setup import PortalSetup

        return PortalSetup(self.app, self.read_db, self.secret_store(), self.integrations())

    def package_consent(self) -> PackageConsent:
        """Connecting the firm's Exact Online account by the admin's OAuth2 consent; the
        redirect URI is ``<LUCY_PUBLIC_URL>/packages/connected``."""
        from lucy_events.routers.integrations.oauth import OAuthTokens
        from lucy_events.routers.integrations.transport import HttpClient
        from lucy_events.routers.package_consent import PackageConsent

        tokens = OAuthTokens(self.secret_store(), HttpClient(), name="Exact Online")
        return PackageConsent(self.app, self.read_db, self.portal_setup(), tokens,
                              self.public_url(), self.app.clock)

    def digests(self) -> Digests:
        """The staff's e-mail digests (daily, weekly, monthly), each once per period."""
        from lucy_events.notifications.digests import Digests

        return Digests(self.app, self.read_db, self.mailer(), self.sent_mail(),
                       self.public_url(), self.app.clock)

    def client_reminders(self) -> ClientReminders:
        from lucy_events.notifications.client_reminders import ClientReminders

        return ClientReminders(self.app, self.mailer(), self.sent_mail(), self.public_url())

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        self.app.close()
        self.read_db.close()
        keys = self.app.person_keys
        if keys is not None and keys.db is not self.read_db:
            keys.db.close()


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
    # Personal fields are sealed with per-person keys kept in the event store's database
    # (never in the events, never on Kafka): erasure destroys a key (audit/sealing.py).
    keys = PersonKeys.at(settings.database_url, timeout=settings.database_timeout)
    app = LucyApplication(
        settings.eventsourcing_env(),
        blobs=blobs or FilesystemBlobStore(settings.blob_dir),
        clock=clock,
        person_keys=keys,
    )
    # The intake's worker processes build their adapters from the settings: where a
    # caller gave its own blob store or clock (tests), mail is taken in here, with them.
    own_adapters = blobs is None and clock is utc_now
    return Services(settings=settings, app=app,
                    intake_processes=settings.intake_processes if own_adapters else 0)
