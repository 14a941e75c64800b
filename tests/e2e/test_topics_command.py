"""Before the relay runs on a real Kafka, ops create its topics with one command."""

from __future__ import annotations

from kafka import KafkaAdminClient

from lucy_events.bus.catalogue import TOPICS
from tests.e2e.conftest import Cli


def test_topics_creates_event_dlq_and_park_topics_and_is_idempotent(sqlite_cli: Cli, broker):
    sqlite_cli.env["LUCY_KAFKA_BOOTSTRAP"] = broker.bootstrap
    first = sqlite_cli.run("topics", "--partitions", "3").stdout
    assert "created  lucy.document-events.v1" in first
    assert "created  lucy.document-events.v1.dlq" in first
    assert "created  lucy.unpublishable.dlq" in first
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        [described] = admin.describe_topics(["lucy.client-events.v1"])
        assert len(described["partitions"]) == 3
    finally:
        admin.close()
    again = sqlite_cli.run("topics").stdout
    # every event topic, its dead letters, and the park for what cannot be encoded
    assert "created" not in again and again.count("exists") == 2 * len(TOPICS) + 1
