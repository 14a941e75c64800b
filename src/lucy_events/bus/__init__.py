"""The event bus: Kafka-protocol producers and consumers and their settings."""
