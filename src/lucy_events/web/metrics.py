"""``/metrics`` in the Prometheus text format: store head, consumer lag, parked messages."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from lucy_events.bus.lag import Lag, dead_letter_counts, kafka_lag, store_lag

metrics = Blueprint("metrics", __name__)
KAFKA_GROUPS = ["projector", "router", "auto-send"]


def _labels(**labels: object) -> str:
    inner = ",".join(f'{k}="{str(v).replace(chr(34), "")}"' for k, v in labels.items())
    return "{" + inner + "}"


def _lag_labels(lag: Lag) -> str:
    return _labels(consumer=lag.consumer, topic=lag.topic, partition=lag.partition)


@metrics.get("/metrics")
def prometheus() -> Response:
    services = current_app.extensions["lucy"]
    head = services.app.recorder.max_notification_id() or 0
    lines = [
        "# HELP lucy_event_store_head Notification id of the newest stored event.",
        "# TYPE lucy_event_store_head gauge",
        f"lucy_event_store_head {head}",
        "# HELP lucy_consumer_lag Events a consumer (or the relay) has yet to process.",
        "# TYPE lucy_consumer_lag gauge",
    ]
    lags = store_lag(services.read_db, head)
    if services.settings.kafka_bootstrap:
        lags += kafka_lag(services.settings.kafka_bootstrap, KAFKA_GROUPS)
    lines += [f"lucy_consumer_lag{_lag_labels(lag)} {lag.lag}" for lag in lags]
    lines += ["# HELP lucy_consumer_position Last position a consumer processed.",
              "# TYPE lucy_consumer_position gauge"]
    lines += [f"lucy_consumer_position{_lag_labels(lag)} {lag.position}" for lag in lags]
    lines += ["# HELP lucy_dead_letters Messages parked by in-process consumers.",
              "# TYPE lucy_dead_letters gauge"]
    lines += [f"lucy_dead_letters{_labels(consumer=consumer)} {count}"
              for consumer, count in sorted(dead_letter_counts(services.read_db).items())]
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
