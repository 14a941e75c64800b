"""Event store adapters beyond what the eventsourcing library ships."""
