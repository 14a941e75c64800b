"""The Kafka clients' settings that are decisions of this project, not kafka-python's
defaults."""

from __future__ import annotations

from lucy_events.bus.kafka_settings import consumer_settings, producer_settings


def test_producers_and_consumers_do_not_record_kafka_pythons_own_metrics():
    # Nothing reads them (the processes' metrics are prometheus_client's), and recording
    # them on every fetch and record cost the route process about 5 % of its CPU.
    assert producer_settings("127.0.0.1:9092")["metrics_enabled"] is False
    assert consumer_settings("127.0.0.1:9092", "router")["metrics_enabled"] is False


def test_an_override_still_turns_kafka_pythons_metrics_on_for_one_client():
    assert consumer_settings("127.0.0.1:9092", "router",
                             metrics_enabled=True)["metrics_enabled"] is True
