"""Per-person encryption keys, in the event store's database (never in the events, never
on Kafka): destroying a person's key is what erases their personal data.

A person's id is derived, so the same person gets one key in a firm wherever they appear:
``uuid5(PERSON_NAMESPACE, "<firm id>:<kind>:<identity>")`` with the identity an e-mail
address in lower case (kind "email") or a staff id (kind "staff"). Integrators who hold an
address can derive the same id to honour a ``PersonErased`` event (docs/integrators.md).
"""

from __future__ import annotations

import os
import threading
import time
from email.utils import parseaddr
from uuid import UUID, uuid5

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lucy_events.sqldb import Database, ensure_schema

#: The namespace of person ids (published: integrators derive ids with it).
PERSON_NAMESPACE = UUID("6c756379-2d65-7261-7375-72652d763031")
#: How long a process trusts a key it read: another process's erasure reaches this one's
#: reads (history, relay, consumers) within this many seconds.
KEY_CACHE_SECONDS = 2.0

_TABLE = "person_keys"
_STATEMENTS = [
    f"CREATE TABLE IF NOT EXISTS {_TABLE} (person_id TEXT PRIMARY KEY, key_bytes "
    "{blob} NOT NULL, kind TEXT NOT NULL, created_at TIMESTAMP NOT NULL "
    "DEFAULT CURRENT_TIMESTAMP)",
]


def normalised_identity(kind: str, identity: str) -> str:
    """The identity a person id is derived from: an address without its display name,
    in lower case; a staff id as text."""
    if kind == "email":
        return (parseaddr(identity)[1] or identity).strip().lower()
    return str(identity).strip().lower()


def person_id(firm_id: UUID | str, kind: str, identity: str) -> UUID:
    return uuid5(PERSON_NAMESPACE, f"{firm_id}:{kind}:{normalised_identity(kind, identity)}")


class PersonKeys:
    """The key table: a 256-bit AES key per person, created on first use, deleted on
    erasure. Each person's cipher is cached for ``KEY_CACHE_SECONDS`` (a history opens
    thousands of sealed values; most belong to a few people), by the id's hex digits as
    sealed values name it, so opening one builds neither a UUID nor a cipher."""

    def __init__(self, db: Database, *, cache_seconds: float = KEY_CACHE_SECONDS,
                 url: str | None = None) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        #: The database's URL, when built from one: a child process (the relay's reader)
        #: opens the same keys with it.
        self.url = url
        self._cache: dict[str, tuple[float, AESGCM | None]] = {}
        self._lock = threading.Lock()

    @classmethod
    def at(cls, url: str, *, timeout: float = 30.0) -> PersonKeys:
        """The keys in the database of ``url`` (the event store's)."""
        return cls(Database.from_url(url, timeout=timeout), url=url)

    def _ready(self) -> None:
        blob = "BYTEA" if self.db.dialect == "postgresql" else "BLOB"
        ensure_schema(self.db, _TABLE, [s.replace("{blob}", blob) for s in _STATEMENTS])

    def _remember(self, person_hex: str, key: bytes | None) -> AESGCM | None:
        cipher = AESGCM(key) if key is not None else None
        with self._lock:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[person_hex] = (time.monotonic(), cipher)
        return cipher

    def _stored_key(self, person_hex: str) -> bytes | None:
        self._ready()
        with self.db.transaction() as tx:
            rows = tx.execute(f"SELECT key_bytes FROM {_TABLE} WHERE person_id = :id",
                              {"id": str(UUID(hex=person_hex))})
        return bytes(rows[0][0]) if rows else None

    def cipher(self, person_hex: str) -> AESGCM | None:
        """The person's cipher (their id in hex digits), or None when they have no key
        (erased, or never created)."""
        found = self._cache.get(person_hex)
        if found is not None and time.monotonic() - found[0] <= self.cache_seconds:
            return found[1]
        return self._remember(person_hex, self._stored_key(person_hex))

    def cipher_for_writing(self, person: UUID, kind: str) -> AESGCM:
        """The person's cipher, their key created when they have none yet (a person
        erased earlier who appears again gets a new key: what came before stays erased)."""
        cipher = self.cipher(person.hex)
        if cipher is not None:
            return cipher
        self._ready()
        with self.db.transaction() as tx:
            tx.execute(f"INSERT INTO {_TABLE} (person_id, key_bytes, kind) VALUES "
                       "(:id, :key, :kind) ON CONFLICT (person_id) DO NOTHING",
                       {"id": str(person), "key": os.urandom(32), "kind": kind})
        created = self._remember(person.hex, self._stored_key(person.hex))
        assert created is not None
        return created

    def exists(self, person: UUID) -> bool:
        return self._stored_key(person.hex) is not None

    def destroy(self, person: UUID) -> bool:
        """Delete the person's key; True when there was one."""
        self._ready()
        with self.db.transaction() as tx:
            existed = bool(tx.execute(f"SELECT 1 FROM {_TABLE} WHERE person_id = :id",
                                      {"id": str(person)}))
            tx.execute(f"DELETE FROM {_TABLE} WHERE person_id = :id", {"id": str(person)})
        self._remember(person.hex, None)
        return existed
