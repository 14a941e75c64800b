"""Before the relay runs on a real Kafka, ops create its topics with one command, with
explicit settings, and cannot ask for more replicas than there are brokers."""

from __future__ import annotations

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from lucy_events.bus.catalogue import TOPICS
from tests.e2e.conftest import Cli


def test_topics_creates_event_and_dlq_topics_with_their_settings_and_is_idempotent(
    sqlite_cli: Cli, broker
):
    sqlite_cli.env["LUCY_KAFKA_BOOTSTRAP"] = broker.bootstrap
    first = sqlite_cli.run("topics", "--partitions", "3", "--replication-factor", "1").stdout
    assert "created  lucy.document-events.v1" in first
    assert "created  lucy.document-events.v1.dlq" in first
    assert first.count("created") == 6
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        [described] = admin.describe_topics(["lucy.client-events.v1"])
        assert len(described["partitions"]) == 3
        [dlq] = admin.describe_topics(["lucy.client-events.v1.dlq"])
        assert len(dlq["partitions"]) == 1
        described_configs = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, "lucy.document-events.v1")],
            config_filter="all")
        settings = {name: entry["value"] for name, entry in
                    described_configs["topic"]["lucy.document-events.v1"].items()}
    finally:
        admin.close()
    assert settings["retention.ms"] == "-1"
    assert settings["min.insync.replicas"] == "1"  # at most the replication factor
    again = sqlite_cli.run("topics", "--replication-factor", "1").stdout
    assert "created" not in again and again.count("exists") == 2 * len(TOPICS)


def test_a_replication_factor_above_the_broker_count_is_refused_before_anything_is_created(
    sqlite_cli: Cli, broker
):
    sqlite_cli.env["LUCY_KAFKA_BOOTSTRAP"] = broker.bootstrap
    refused = sqlite_cli.run("topics", check=False)  # the default: 3 replicas
    assert refused.returncode != 0
    assert "replication factor 3 is more than the 1 broker(s)" in refused.stderr
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        assert not [t for t in admin.list_topics() if t.startswith("lucy.")]
    finally:
        admin.close()
