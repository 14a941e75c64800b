"""Settings from the environment, read once by each entry point.

| variable | default | meaning |
|---|---|---|
| LUCY_DATA_DIR | ./var | SQLite event store and blobs of the embedded default |
| LUCY_DATABASE_URL | sqlite:///$LUCY_DATA_DIR/events.sqlite | or postgresql://u[:pw]@h[:p]/db |
|  |  | (add ?schema=name for a schema other than public) |
| LUCY_BLOB_DIR | $LUCY_DATA_DIR/blobs | content-addressed document store |
| LUCY_HTTP_HOST / LUCY_HTTP_PORT | 127.0.0.1 / 8000 | where `serve` listens |
| LUCY_READ_DATABASE_URL | $LUCY_DATA_DIR/read.sqlite | read models, positions, parked messages |
|  | (LUCY_DATABASE_URL on PostgreSQL) |  |
| LUCY_KAFKA_BOOTSTRAP | (none: in-process consumers) | Kafka brokers, host:port[,host:port] |
| LUCY_LOG_FORMAT | auto | json, console, or auto (console on a terminal) |
| LUCY_SMTP_RELAY | (none) | smtp://user:pw@host:587?from=docs@firm.example[&starttls=false] |
| LUCY_SECRETS_FILE | $LUCY_DATA_DIR/secrets.json | package credentials by name (0600) |
| LUCY_DATABASE_TIMEOUT | 5 | seconds to wait for a PostgreSQL connection before a call |
|  |  | fails (and an outage is waited out, or the API answers 503) |
| LUCY_SECRET_KEY | (made once under $LUCY_DATA_DIR) | signs dashboard sessions |
| LUCY_SECURE_COOKIES | auto | true / false; auto: Secure when the request came over HTTPS |
| LUCY_RECOGNITION_TIME_LIMIT | 60 | seconds recognition may spend on one document |
| LUCY_MAX_UPLOAD_BYTES | 26214400 (25 MiB) | the one size limit of every intake channel |
| LUCY_SMTP_HOST / LUCY_SMTP_PORT | 127.0.0.1 / 2525 | where the SMTP intake listens |
| LUCY_INBOX_DOMAIN | inbox.localhost | clients' inbox addresses: <client-slug>@<domain> |
| LUCY_SMTP_TLS_CERT / LUCY_SMTP_TLS_KEY | (none: no STARTTLS) | PEM certificate and key |
| LUCY_INTAKE_PROCESSES | 2 | worker processes taking in the SMTP intake's mails (MIME, |
|  |  | checks, blob, commit) beside its server; 0: in the server's process |
| LUCY_DNS_RESOLVER | (the system resolver) | host[:port] of the DNS server for SPF/DKIM |
|  |  | and the Peppol SML lookup |
| LUCY_PEPPOL_SML_ZONE | participant.sml.prod.tech.peppol.org | the SML's DNS zone (test: |
|  |  | acc.edelivery.tech.ec.europa.eu) |
| LUCY_PEPPOL_LOOKUP_TIMEOUT | 5 | seconds a Peppol DNS or SMP call may take |
| LUCY_PEPPOL_STATUS_INTERVAL | 60 | seconds between `serve`'s checks of invoices sent |
|  |  | over Peppol (Delivered or Failed, as the access point says) |
| LUCY_PUBLIC_URL | http://$LUCY_HTTP_HOST:$LUCY_HTTP_PORT | the dashboard's address in e-mails |
|  |  | sent outside a request (reminders), and of Exact Online's |
|  |  | consent redirect: $LUCY_PUBLIC_URL/packages/connected |
| LUCY_METRICS_PORT | (none) | `project` / `route` / `relay` serve /metrics on this port |
| LUCY_SECRETS_KEY | (made once under $LUCY_DATA_DIR) | AES-256 key (URL-safe base64, 32 bytes) of |
|  |  | the package credentials kept encrypted in the read database |
| LUCY_TRUSTED_PROXIES | 0 | proxies in front whose X-Forwarded-For/-Proto/-Host are believed |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """Raised when a setting cannot be understood; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    blob_dir: Path
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    kafka_bootstrap: str | None = None
    log_format: str = "auto"
    read_database_url: str = ""
    smtp_relay_url: str | None = None
    secrets_file: Path | None = None
    database_timeout: float = 5.0
    secret_key: str | None = None
    #: None (auto): Secure exactly when the request came over HTTPS.
    secure_cookies: bool | None = None
    recognition_time_limit: float = 60.0
    max_upload_bytes: int = 25 * 1024 * 1024
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    inbox_domain: str = "inbox.localhost"
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None
    intake_processes: int = 2
    dns_resolver: str | None = None
    metrics_port: int | None = None
    trusted_proxies: int = 0
    peppol_sml_zone: str = "participant.sml.prod.tech.peppol.org"
    peppol_lookup_timeout: float = 5.0
    peppol_status_interval: float = 60.0
    public_url: str | None = None
    secrets_key: str | None = None
    #: PostgreSQL connections the event store opens at start (and keeps): enough for a
    #: process's threads; the SMTP intake's worker processes, of one thread, take 1.
    database_pool_size: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("LUCY_DATA_DIR") or "var").resolve()
        database_url = env.get("LUCY_DATABASE_URL") or f"sqlite:///{data_dir / 'events.sqlite'}"
        try:
            port = int(env.get("LUCY_HTTP_PORT") or 8000)
        except ValueError:
            raise ConfigError("LUCY_HTTP_PORT must be a port number") from None
        try:
            database_timeout = float(env.get("LUCY_DATABASE_TIMEOUT") or 5)
        except ValueError:
            raise ConfigError("LUCY_DATABASE_TIMEOUT must be a number of seconds") from None
        try:
            max_upload_bytes = int(env.get("LUCY_MAX_UPLOAD_BYTES") or 25 * 1024 * 1024)
        except ValueError:
            raise ConfigError("LUCY_MAX_UPLOAD_BYTES must be a number of bytes") from None
        if max_upload_bytes < 1:
            raise ConfigError("LUCY_MAX_UPLOAD_BYTES must be at least 1")
        try:
            metrics_port = int(env["LUCY_METRICS_PORT"]) if env.get("LUCY_METRICS_PORT") else None
        except ValueError:
            raise ConfigError("LUCY_METRICS_PORT must be a port number") from None
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            blob_dir=Path(env.get("LUCY_BLOB_DIR") or data_dir / "blobs").resolve(),
            http_host=env.get("LUCY_HTTP_HOST") or "127.0.0.1",
            http_port=port,
            kafka_bootstrap=env.get("LUCY_KAFKA_BOOTSTRAP") or None,
            log_format=env.get("LUCY_LOG_FORMAT") or "auto",
            smtp_relay_url=env.get("LUCY_SMTP_RELAY") or None,
            secrets_file=Path(env.get("LUCY_SECRETS_FILE") or data_dir / "secrets.json"),
            read_database_url=env.get("LUCY_READ_DATABASE_URL") or (
                database_url if database_url.startswith(("postgresql:", "postgres:"))
                else f"sqlite:///{data_dir / 'read.sqlite'}"
            ),
            database_timeout=database_timeout,
            secret_key=env.get("LUCY_SECRET_KEY") or None,
            secure_cookies=_switch(env, "LUCY_SECURE_COOKIES"),
            recognition_time_limit=_seconds(env, "LUCY_RECOGNITION_TIME_LIMIT", 60.0),
            max_upload_bytes=max_upload_bytes,
            **_intake_settings(env),
            metrics_port=metrics_port,
            trusted_proxies=_count(env, "LUCY_TRUSTED_PROXIES"),
            **_onboarding_settings(env),
            secrets_key=env.get("LUCY_SECRETS_KEY") or None,
        )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    def eventsourcing_env(self) -> dict[str, str]:
        """The event store's persistence settings, in eventsourcing's own terms."""
        return persistence_env(self.database_url, timeout=self.database_timeout,
                               pool_size=self.database_pool_size)


def persistence_env(database_url: str, *, timeout: float = 5.0,
                    pool_size: int = 5) -> dict[str, str]:
    url = urlsplit(database_url)
    if url.scheme == "sqlite":
        # As in SQLAlchemy: sqlite:///relative/path, sqlite:////absolute/path.
        path = unquote(url.path)[1:]
        if path in ("", ":memory:"):
            path = ":memory:"
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC":
                    "lucy_events.store.sqlite:ChainedSQLiteApplicationRecorder"}
    if url.scheme in ("postgresql", "postgres"):
        if not url.path.strip("/"):
            raise ConfigError("LUCY_DATABASE_URL names no database")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(url.path.strip("/")),
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            # also how long a call waits for a pooled connection while the database is away
            "POSTGRES_CONNECT_TIMEOUT": str(max(1, round(timeout))),
            "POSTGRES_POOL_SIZE": str(pool_size),
            "APPLICATION_RECORDER_TOPIC":
                "lucy_events.store.postgres:OneTripPostgresApplicationRecorder",
        }
        schema = parse_qs(url.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    raise ConfigError(f"LUCY_DATABASE_URL: unsupported scheme {url.scheme!r}")


def smtp_relay_settings(url: str) -> dict[str, object]:
    """``smtp://user:password@host:port?from=address&starttls=false`` as SmtpRelay fields."""
    parts = urlsplit(url)
    if parts.scheme != "smtp" or not parts.hostname:
        raise ConfigError("LUCY_SMTP_RELAY must look like smtp://[user:pw@]host[:port]?from=...")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if "from" not in query:
        raise ConfigError("LUCY_SMTP_RELAY needs ?from=<sender address>")
    return {
        "host": parts.hostname, "port": parts.port or 587, "from_address": query["from"],
        "starttls": query.get("starttls", "true").lower() not in ("false", "0", "no"),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }


def environment_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """One variable for a module whose setting has no place in ``Settings`` because it is
    read where no Settings reach (the Avro schemas' directory, Kafka group timeouts in a
    spawned process); the environment is still read only here."""
    env = os.environ if environ is None else environ
    return env.get(name) or None
def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name) or default)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds") from None
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0 seconds")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        value = int(env.get(name) or default)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _intake_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The SMTP intake's settings (``lucy-events smtp`` and inside ``serve``)."""
    cert, key = env.get("LUCY_SMTP_TLS_CERT"), env.get("LUCY_SMTP_TLS_KEY")
    if bool(cert) != bool(key):
        raise ConfigError("LUCY_SMTP_TLS_CERT and LUCY_SMTP_TLS_KEY go together")
    resolver = env.get("LUCY_DNS_RESOLVER") or None
    if resolver:
        dns_resolver_address(resolver)
    return {
        "smtp_host": env.get("LUCY_SMTP_HOST") or "127.0.0.1",
        "smtp_port": _int(env, "LUCY_SMTP_PORT", 2525),
        "inbox_domain": (env.get("LUCY_INBOX_DOMAIN") or "inbox.localhost").strip().lower(),
        "smtp_tls_cert": Path(cert) if cert else None,
        "smtp_tls_key": Path(key) if key else None,
        "intake_processes": _count(env, "LUCY_INTAKE_PROCESSES", 2),
        "dns_resolver": resolver,
    }


def _onboarding_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The Peppol lookup's zone and timeout, how often sent invoices' delivery is
    checked; the public address for e-mailed links."""
    zone = (env.get("LUCY_PEPPOL_SML_ZONE") or "participant.sml.prod.tech.peppol.org")
    public = (env.get("LUCY_PUBLIC_URL") or "").rstrip("/") or None
    if public and not public.startswith(("http://", "https://")):
        raise ConfigError("LUCY_PUBLIC_URL must start with http:// or https://")
    return {
        "peppol_sml_zone": zone.strip().strip(".").lower(),
        "peppol_lookup_timeout": _seconds(env, "LUCY_PEPPOL_LOOKUP_TIMEOUT", 5.0),
        "peppol_status_interval": _seconds(env, "LUCY_PEPPOL_STATUS_INTERVAL", 60.0),
        "public_url": public,
    }


def dns_resolver_address(value: str) -> tuple[str, int]:
    """``LUCY_DNS_RESOLVER``: ``host``, ``host:port`` or ``[v6-address]:port``."""
    host, _, port = value.rpartition(":") if value.count(":") == 1 or "]" in value \
        else (value, "", "")
    try:
        return (host or value).strip("[]"), int(port or 53)
    except ValueError:
        raise ConfigError("LUCY_DNS_RESOLVER must be host or host:port") from None


def _switch(env: Mapping[str, str], name: str) -> bool | None:
    """true, false, or unset/auto (None)."""
    value = (env.get(name) or "auto").strip().lower()
    if value not in ("true", "false", "auto"):
        raise ConfigError(f"{name} must be true, false or auto")
    return None if value == "auto" else value == "true"


def _count(env: Mapping[str, str], name: str, default: int = 0) -> int:
    try:
        value = int(env.get(name) or default)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number") from None
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more")
    return value
