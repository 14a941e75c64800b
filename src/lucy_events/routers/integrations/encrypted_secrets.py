"""The secret store in the database, encrypted at rest, safe with several processes.

One row per name (``ref``), so two processes writing different names (two routers, each
rotating a firm's OAuth refresh token) never overwrite each other, as rewriting a whole
file did; a write is one upsert. Values are sealed with AES-256-GCM under the key of
``LUCY_SECRETS_KEY`` (or one made once under the data directory), with the name as
associated data, so a row copied under another name does not open. The database, its
backups and its logs only ever see ciphertext; nothing here logs a value.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lucy_events.routers.integrations.base import PermanentDeliveryError
from lucy_events.routers.integrations.credentials import (
    FileSecretStore,
    SecretMissing,
    SecretStore,
)
from lucy_events.sqldb import Database, ensure_schema

log = structlog.get_logger()
SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_secrets (
    ref TEXT PRIMARY KEY, sealed TEXT NOT NULL, updated_at TEXT NOT NULL)"""


class SecretsKeyInvalid(ValueError):
    """Raised when LUCY_SECRETS_KEY is not 32 bytes in URL-safe base64 (make one with
    ``base64.urlsafe_b64encode(secrets.token_bytes(32))``): the service refuses to start
    rather than store credentials it could not read back."""


def secrets_key(configured: str | None, data_dir: Path) -> bytes:
    """The configured key, or one made once and kept (0600) under the data directory."""
    text = configured
    if not text:
        path = data_dir / "secrets_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        text = path.read_text().strip()
    try:
        key = base64.urlsafe_b64decode(text.encode())
    except ValueError:
        raise SecretsKeyInvalid("LUCY_SECRETS_KEY is not URL-safe base64") from None
    if len(key) != 32:
        raise SecretsKeyInvalid("LUCY_SECRETS_KEY must be 32 bytes (AES-256)")
    return key


class DatabaseSecretStore(SecretStore):
    def __init__(self, db: Database, key: bytes) -> None:
        self.db = db
        self._aead = AESGCM(key)
        ensure_schema(db, "lucy_secrets", [SCHEMA])

    def get(self, ref: str) -> dict[str, str]:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT sealed FROM lucy_secrets WHERE ref = :ref", {"ref": ref})
        if not rows:
            raise SecretMissing(f"no credentials named {ref!r}")
        return self._open(ref, str(rows[0][0]))

    def put(self, ref: str, values: dict[str, str]) -> None:
        sealed = self._seal(ref, {str(k): str(v) for k, v in values.items()})
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_secrets (ref, sealed, updated_at) VALUES (:ref, :sealed, "
                ":now) ON CONFLICT (ref) DO UPDATE SET sealed = excluded.sealed, "
                "updated_at = excluded.updated_at",
                {"ref": ref, "sealed": sealed, "now": datetime.now(UTC).isoformat()})

    def names(self) -> list[str]:
        with self.db.transaction() as tx:
            return [str(r[0]) for r in tx.execute("SELECT ref FROM lucy_secrets ORDER BY ref")]

    def migrate_file(self, path: Path) -> int:
        """Take over the names of the old JSON file that are not here yet, once: the file
        is then renamed ``<name>.migrated`` (delete it once the database is backed up).
        How many names were taken over."""
        if not path.exists():
            return 0
        old = FileSecretStore(path)._read()
        known = set(self.names())
        taken = [ref for ref in old if ref not in known]
        for ref in taken:
            self.put(ref, old[ref])
        try:
            path.rename(path.with_name(path.name + ".migrated"))
        except FileNotFoundError:
            return len(taken)  # another process starting at once took it over too
        log.warning("secret file migrated into the database; delete the old copy",
                    names=len(taken), old_copy=str(path) + ".migrated")
        return len(taken)

    def _seal(self, ref: str, values: dict[str, str]) -> str:
        nonce = secrets.token_bytes(12)
        body = self._aead.encrypt(nonce, json.dumps(values).encode(), ref.encode())
        return base64.b64encode(nonce + body).decode()

    def _open(self, ref: str, sealed: str) -> dict[str, str]:
        raw = base64.b64decode(sealed)
        try:
            plain = self._aead.decrypt(raw[:12], raw[12:], ref.encode())
        except InvalidTag:
            raise PermanentDeliveryError(
                f"credentials {ref!r} cannot be decrypted: LUCY_SECRETS_KEY is not the key "
                "they were saved with") from None
        values: dict[str, str] = json.loads(plain)
        return values
