"""What a failure while handling a message means: poison, an outage, or a bug.

- **Poison** (``Poison.MESSAGE``): the message itself is bad. It cannot be decoded
  (``UndecodableMessage``), or a handler refused it as invalid (``InvalidMessage``, or a
  domain rule it breaks). Processing it again can only fail again: it is parked at once,
  with the reason, and the consumer goes on.
- **Infrastructure** (``Poison.OUTAGE``): the database, the broker or the network failed.
  The message is fine; it is retried with backoff, uncommitted, for as long as the outage
  lasts (``retries.consumer_outage``), and the consumer reports itself stalled meanwhile.
- **Bug** (``Poison.BUG``): anything else. Neither the message nor the outside world is
  known to be at fault, so nothing is parked and nothing committed: the consumer crashes
  and its runner restarts it with backoff, or stops the process (``bus.runner``).

The causes of an error (``__cause__``/``__context__``) count too: eventsourcing wraps
psycopg's errors in its own, and a handler may wrap an outage in its own error.

psycopg's and Kafka's errors are looked up among the loaded modules, not imported: a
library this process never loaded cannot have raised, and on the embedded default
(SQLite, no broker) neither is loaded, which saves a third of every command's start.
"""

from __future__ import annotations

import sqlite3
import sys
from enum import StrEnum

from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError

from lucy_events.aggregates.errors import ConcurrencyConflict, DomainError
from lucy_events.bus.avro import UndecodableMessage


class InvalidMessage(Exception):
    """Raised by a handler when a message decodes but its content is refused as invalid
    (a field it needs is missing or makes no sense). The runtime parks it at once with
    this message as the reason; fix the producer, then replay or discard it."""


class Fault(StrEnum):
    MESSAGE = "poison"
    OUTAGE = "infrastructure"
    BUG = "bug"


#: sqlite3.OperationalError also says "no such table" (a bug); only these are outages.
_SQLITE_TRANSIENT = ("locked", "busy", "disk i/o", "unable to open", "readonly",
                     "database or disk is full")


def _is_outage(error: BaseException) -> bool:
    if getattr(error, "outage", False) is True:  # an adapter's own error that says so
        return True
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(error, psycopg.OperationalError
                                          | psycopg.InterfaceError):
        return True  # psycopg_pool.PoolTimeout is an OperationalError too
    if isinstance(error, sqlite3.OperationalError):
        return any(marker in str(error).lower() for marker in _SQLITE_TRANSIENT)
    if isinstance(error, StoreOperationalError | StoreInterfaceError):
        # eventsourcing's wrapper: judged by its cause when it has one
        cause = error.__cause__
        return cause is None or _is_outage(cause)
    kafka_errors = sys.modules.get("kafka.errors")
    if kafka_errors is not None and isinstance(error, kafka_errors.KafkaError):
        return True
    return isinstance(error, OSError)  # sockets, timeouts, files


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def is_infrastructure_failure(error: BaseException) -> bool:
    """True when the error, or one it was raised from, is an outage of the database,
    the broker or the network (retry later), not a fault of the message or the code."""
    return any(_is_outage(link) for link in _chain(error))


def classify(error: BaseException) -> Fault:
    """Poison, outage or bug; an outage wins when a refusal was caused by one.
    Contention on an aggregate (the store's conflict retries ran out) passes by itself
    like an outage, so it is waited out too."""
    if is_infrastructure_failure(error) or isinstance(error, ConcurrencyConflict):
        return Fault.OUTAGE
    if isinstance(error, UndecodableMessage | InvalidMessage | DomainError):
        return Fault.MESSAGE
    return Fault.BUG
