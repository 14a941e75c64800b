"""The one place that decides kafka-python client settings.

Why one module: delivery guarantees are made of several settings that only work together
(acks='all' + idempotence + bounded in-flight requests on the producer; manual commits +
'earliest' + read_committed on the consumer). If every call site built its own dict, one
of them would sooner or later drop a piece and silently weaken the guarantee. So every
producer, consumer and admin client of lucy_events -- and of its tests and benchmarks --
is built from these functions, and callers change only what they must through
``**overrides`` (tests shorten the group session timeout, for instance).

Verified against kafka-python 3.0.12 and the tansu broker (see docs/kafka-broker-notes.md):
the idempotent producer works, read_committed is accepted, and a consumer group's first
join takes about half of ``session_timeout_ms``, which is why that value is tunable from the
environment instead of being hard-coded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from lucy_events.config import environment_value

SESSION_TIMEOUT_ENV = "LUCY_KAFKA_SESSION_TIMEOUT_MS"
HEARTBEAT_INTERVAL_ENV = "LUCY_KAFKA_HEARTBEAT_INTERVAL_MS"
FETCH_MAX_WAIT_ENV = "LUCY_KAFKA_FETCH_MAX_WAIT_MS"
LATENCY_FETCH_MAX_WAIT_ENV = "LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS"
DEFAULT_SESSION_TIMEOUT_MS = 10_000
DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000
#: How long the broker may hold a fetch that finds nothing new. Apache Kafka answers as
#: soon as a record arrives (fetch_min_bytes 1); tansu answers at its next round, at half,
#: three quarters... of the wait, so a record waits up to half of it: records reached a
#: consumer 149 ms after they were produced at the median with 500, 58 with 200, 34 with
#: 100, 21 with 50 (40 records/s over 3 partitions; docs/kafka-broker-notes.md). Shorter
#: costs CPU: each idle member asks again that often (50 ms: 30-50 ms of CPU a second a
#: consumer in kafka-python's IO thread; docs/benchmarks.md, Delivery, session 5), and on
#: tansu each fetch lists the partition's batches. The router has its own (below).
DEFAULT_FETCH_MAX_WAIT_MS = 500
#: The fetch wait of a consumer someone waits on (``Handler.latency_sensitive``: the
#: router, between a send request and the document reaching the package). On tansu the
#: 500 above held a send up to 250 ms: at the delivery benchmark's half-the-raw-rate load
#: 100 took the median from about 250 to 80-105 ms (docs/benchmarks.md, Delivery, session
#: 11), and the route process idles at about 24 ms of CPU a second instead of 13.
#: Session 7 saw the router's member stop reading once with it, not seen since nor
#: understood (docs/kafka-broker-notes.md): $LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS=500
#: puts the router back on the others' wait.
DEFAULT_LATENCY_FETCH_MAX_WAIT_MS = 100

Bootstrap = str | Sequence[str]


#: kafka-python's own sensors (records, bytes and latencies, in its ``Metrics`` registry)
#: are off in producers and consumers: nothing reads them (a process's metrics are
#: prometheus_client's, ``metrics.py``; lag comes from the admin client), and recording
#: them on every fetch and record was about 5 % of the route process's CPU in a profile
#: (docs/benchmarks.md, Delivery, session 12).
KAFKA_PYTHON_METRICS = False


def producer_settings(bootstrap: Bootstrap, **overrides: Any) -> dict[str, Any]:
    """Settings for a ``KafkaProducer`` that neither loses nor duplicates records.

    acks='all' waits for every in-sync replica; idempotence lets the broker drop the
    duplicates that retries would otherwise write, and keeps per-partition order with up to
    5 requests in flight (kafka-python refuses idempotence with more). A small linger
    batches bursts without adding noticeable latency.
    """
    settings: dict[str, Any] = {
        "bootstrap_servers": _servers(bootstrap),
        "acks": "all",
        "enable_idempotence": True,
        "max_in_flight_requests_per_connection": 5,
        "retries": 2_147_483_647,
        "delivery_timeout_ms": 120_000,
        "request_timeout_ms": 30_000,
        "linger_ms": 5,
        "compression_type": None,
        "metrics_enabled": KAFKA_PYTHON_METRICS,
    }
    return _merge(settings, overrides, KafkaProducer.DEFAULT_CONFIG, "producer")


def consumer_settings(
    bootstrap: Bootstrap, group_id: str, *, latency_sensitive: bool = False, **overrides: Any
) -> dict[str, Any]:
    """Settings for a ``KafkaConsumer`` in a consumer group that commits by hand.

    Offsets are committed only after the records were handled (at-least-once), a new group
    starts from the beginning of the topic, and records of aborted transactions are
    skipped when the broker supports it. The group timeouts come from
    $LUCY_KAFKA_SESSION_TIMEOUT_MS and $LUCY_KAFKA_HEARTBEAT_INTERVAL_MS, the fetch wait
    from $LUCY_KAFKA_FETCH_MAX_WAIT_MS (``DEFAULT_FETCH_MAX_WAIT_MS`` says what it trades),
    or for a ``latency_sensitive`` consumer from $LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS.
    """
    if not group_id:
        raise ValueError("consumer_settings needs a non-empty group_id")
    session_timeout_ms, heartbeat_interval_ms = group_timeouts()
    settings: dict[str, Any] = {
        "bootstrap_servers": _servers(bootstrap),
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": "read_committed",
        "session_timeout_ms": session_timeout_ms,
        "heartbeat_interval_ms": heartbeat_interval_ms,
        "max_poll_interval_ms": 300_000,
        "request_timeout_ms": 30_000,
        "fetch_max_wait_ms": fetch_max_wait(latency_sensitive=latency_sensitive),
        "metrics_enabled": KAFKA_PYTHON_METRICS,
    }
    merged = _merge(settings, overrides, KafkaConsumer.DEFAULT_CONFIG, "consumer")
    if merged["heartbeat_interval_ms"] >= merged["session_timeout_ms"]:
        raise ValueError(
            f"heartbeat_interval_ms ({merged['heartbeat_interval_ms']}) must be below "
            f"session_timeout_ms ({merged['session_timeout_ms']})"
        )
    return merged


def admin_settings(bootstrap: Bootstrap, **overrides: Any) -> dict[str, Any]:
    """Settings for a ``KafkaAdminClient`` (topic creation and inspection)."""
    settings: dict[str, Any] = {
        "bootstrap_servers": _servers(bootstrap),
        "request_timeout_ms": 30_000,
    }
    return _merge(settings, overrides, KafkaAdminClient.DEFAULT_CONFIG, "admin")


def group_timeouts(environ: Mapping[str, str] | None = None) -> tuple[int, int]:
    """(session_timeout_ms, heartbeat_interval_ms) from the environment, or the defaults."""
    session = _positive_int(environ, SESSION_TIMEOUT_ENV, DEFAULT_SESSION_TIMEOUT_MS)
    heartbeat = _positive_int(environ, HEARTBEAT_INTERVAL_ENV, DEFAULT_HEARTBEAT_INTERVAL_MS)
    if heartbeat >= session:
        raise ValueError(
            f"${HEARTBEAT_INTERVAL_ENV} ({heartbeat}) must be below "
            f"${SESSION_TIMEOUT_ENV} ({session})"
        )
    return session, heartbeat


def fetch_max_wait(
    environ: Mapping[str, str] | None = None, *, latency_sensitive: bool = False
) -> int:
    """fetch_max_wait_ms from $LUCY_KAFKA_FETCH_MAX_WAIT_MS, or the default; for a
    latency-sensitive consumer from $LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS, or its default."""
    name, default = ((LATENCY_FETCH_MAX_WAIT_ENV, DEFAULT_LATENCY_FETCH_MAX_WAIT_MS)
                     if latency_sensitive else (FETCH_MAX_WAIT_ENV, DEFAULT_FETCH_MAX_WAIT_MS))
    return _positive_int(environ, name, default)


def _positive_int(environ: Mapping[str, str] | None, name: str, default: int) -> int:
    """$name of ``environ`` (None: the process's environment), or ``default``."""
    raw = (environment_value(name, environ) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"${name} must be a whole number of milliseconds, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"${name} must be positive, got {value}")
    return value


def _servers(bootstrap: Bootstrap) -> str | list[str]:
    if isinstance(bootstrap, str):
        if not bootstrap.strip():
            raise ValueError("bootstrap servers must not be empty")
        return bootstrap
    servers = list(bootstrap)
    if not servers:
        raise ValueError("bootstrap servers must not be empty")
    return servers


def _merge(
    settings: dict[str, Any], overrides: Mapping[str, Any], known: Mapping[str, Any], kind: str
) -> dict[str, Any]:
    """Apply overrides, refusing names the client does not know (a typo would be ignored)."""
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ValueError(f"unknown kafka-python {kind} setting(s): {', '.join(unknown)}")
    return {**settings, **overrides}
