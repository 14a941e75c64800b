"""An integrator who joins late, or a topic that was lost: ``lucy-events republish`` sends
the stored events again, exactly as the relay encoded them, without moving the relay."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kafka import KafkaProducer

from lucy_events.bootstrap import bootstrap
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import DOCUMENT_TOPIC, TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.config import Settings
from tests.bus_support import read_topics
from tests.e2e.conftest import Cli, cli_env
from tests.support import open_office


def as_sent(record) -> tuple:
    return (record.topic, record.partition, record.key, record.value, tuple(record.headers))


def test_republish_sends_stored_events_again_as_the_relay_did(tmp_path: Path, broker):
    env = cli_env(tmp_path, LUCY_KAFKA_BOOTSTRAP=broker.bootstrap)
    cli = Cli(env, tmp_path)
    cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    services = bootstrap(Settings.from_env(env))
    try:
        office = open_office(services.app)
        for name in ("Bakkerij Claes", "Garage Peeters", "Apotheek Lens"):
            client_id = office.new_client(name=name)
            office.receive(client_id)
        relay = Relay(services.app, services.read_db,
                      lambda: KafkaProducer(**producer_settings(broker.bootstrap)))
        while relay.publish_next():
            pass
        relay.settle()
        relay.close()
        head = services.store_head()
        first = read_topics(broker.bootstrap, TOPICS, expect=head)
        assert len(first) == head

        out = cli.run("republish", "--from-position", "1").stdout
        per_topic = Counter(r.topic for r in first)
        for topic in TOPICS:
            assert f"republished {per_topic[topic]:>8} {topic}" in out
        twice = read_topics(broker.bootstrap, TOPICS, expect=2 * head)
        assert Counter(map(as_sent, twice)) == Counter({sent: 2 for sent in map(as_sent, first)})

        # Only one topic, from a position: the documents' events from there on.
        start = head - 3
        cli.run("republish", "--from-position", str(start), "--topic", DOCUMENT_TOPIC)
        codec = AvroCodec()
        later = [r for r in first if r.topic == DOCUMENT_TOPIC
                 and codec.decode(r.value).notification_id >= start]
        assert later
        third = read_topics(broker.bootstrap, TOPICS, expect=2 * head + len(later))
        assert len(third) == 2 * head + len(later)
        assert Counter(map(as_sent, third)) - Counter(map(as_sent, twice)) == Counter(
            map(as_sent, later))

        with services.read_db.transaction() as tx:
            assert positions.load(tx, "relay")[("log", 0)] == head  # the relay's, untouched
        refused = cli.run("republish", "--from-position", "1", "--topic", "nope", check=False)
        assert refused.returncode != 0 and "'nope' is not an event topic" in refused.stderr
    finally:
        services.close()
