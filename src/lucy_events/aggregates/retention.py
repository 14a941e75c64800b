"""How long documents are kept: 10 years from their receipt (Belgian VAT code, art. 60).
Until then a document's files stay, even when it was deleted from the list (deleting only
hides it); after, its files may be removed, its events never are. Pure: no I/O."""

from __future__ import annotations

from datetime import datetime

from lucy_events.aggregates.errors import DomainError

RETENTION_YEARS = 10


class RetentionNotOver(DomainError):
    """Raised when a document's files would be removed before its retention ends."""

    field = "received_at"


def retention_ends(received: datetime) -> datetime:
    """The same day and time ``RETENTION_YEARS`` later (29 February: 1 March)."""
    try:
        return received.replace(year=received.year + RETENTION_YEARS)
    except ValueError:
        return received.replace(year=received.year + RETENTION_YEARS, month=3, day=1)


def check_retention_over(received: datetime, now: datetime) -> None:
    if now < retention_ends(received):
        raise RetentionNotOver(
            f"received {received:%Y-%m-%d}: kept until {retention_ends(received):%Y-%m-%d}")
