"""lucy-events: event-sourced document routing for accounting firms."""

__version__ = "0.1.0"
