"""Event values to column values and back.

Ids are stored as text, times as ISO-8601 UTC text with microseconds (so that they sort
and compare as text on both databases) and days as ``YYYY-MM-DD``. Events from the
log carry Python objects; events decoded from Avro may carry strings; both work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import overload
from uuid import UUID

from lucy_events.bus.records import id_text


@overload
def ident(value: UUID | str) -> str: ...
@overload
def ident(value: UUID | str | None) -> str | None: ...
def ident(value: UUID | str | None) -> str | None:
    return id_text(value) if isinstance(value, UUID) else value


#: ``isoformat(timespec="microseconds")`` of a UTC time, in one formatting operation: the
#: method formats an aware time's offset apart and costs half as much again (a replay
#: turns every event's time into text).
_UTC_TEXT = "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00"


def moment(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is UTC:
            return _UTC_TEXT % (value.year, value.month, value.day, value.hour,
                                value.minute, value.second, value.microsecond)
        value = (value.replace(tzinfo=UTC) if value.tzinfo is None
                 else value.astimezone(UTC))
        return value.isoformat(timespec="microseconds")
    if value is None:
        return None
    at = datetime.fromisoformat(value)  # a text that is no time raises, whatever its shape
    if _is_utc_text(value):
        return value
    return moment(at)


def _is_utc_text(text: str) -> bool:
    """Whether a text that reads as a time is already the text ``moment`` makes of it:
    ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``, as the store holds every event's time (a
    replay's views hand it over as stored: parsing and formatting it again cost more
    than the rest of a document event's fold, docs/benchmarks.md, Read-model rebuild,
    session 11). ``fromisoformat`` having read it, the separators in their places leave
    only ASCII digits between them."""
    return (len(text) == 32 and text[26:] == "+00:00" and text[19] == "." and text[10] == "T"
            and text[4] == text[7] == "-" and text[13] == text[16] == ":")


def day(value: date | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value if isinstance(value, str) else value.isoformat()


def parse_id(text: str | None) -> UUID | None:
    return None if text is None else UUID(text)


def parse_moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def parse_day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
