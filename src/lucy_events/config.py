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
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("LUCY_DATA_DIR") or "var").resolve()
        database_url = env.get("LUCY_DATABASE_URL") or f"sqlite:///{data_dir / 'events.sqlite'}"
        try:
            port = int(env.get("LUCY_HTTP_PORT") or 8000)
        except ValueError:
            raise ConfigError("LUCY_HTTP_PORT must be a port number") from None
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            blob_dir=Path(env.get("LUCY_BLOB_DIR") or data_dir / "blobs").resolve(),
            http_host=env.get("LUCY_HTTP_HOST") or "127.0.0.1",
            http_port=port,
            kafka_bootstrap=env.get("LUCY_KAFKA_BOOTSTRAP") or None,
            log_format=env.get("LUCY_LOG_FORMAT") or "auto",
            read_database_url=env.get("LUCY_READ_DATABASE_URL") or (
                database_url if database_url.startswith(("postgresql:", "postgres:"))
                else f"sqlite:///{data_dir / 'read.sqlite'}"
            ),
        )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    def eventsourcing_env(self) -> dict[str, str]:
        """The event store's persistence settings, in eventsourcing's own terms."""
        return persistence_env(self.database_url)


def persistence_env(database_url: str) -> dict[str, str]:
    url = urlsplit(database_url)
    if url.scheme == "sqlite":
        # As in SQLAlchemy: sqlite:///relative/path, sqlite:////absolute/path.
        path = unquote(url.path)[1:]
        if path in ("", ":memory:"):
            path = ":memory:"
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10"}
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
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5",
            "APPLICATION_RECORDER_TOPIC":
                "lucy_events.store.postgres:OneTripPostgresApplicationRecorder",
        }
        schema = parse_qs(url.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    raise ConfigError(f"LUCY_DATABASE_URL: unsupported scheme {url.scheme!r}")
