"""Event values as read-model columns: ids and times as text, the same however they came."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest

from lucy_events.projections.values import ident, moment


def test_a_time_is_iso_8601_utc_text_with_microseconds_whatever_its_zone() -> None:
    rng = random.Random(5)
    start = datetime(1, 1, 1, tzinfo=UTC)
    for _ in range(2000):
        at = start + timedelta(microseconds=rng.randrange(310_000_000_000_000_000))
        if rng.random() < 0.2:
            at = at.replace(microsecond=0)
        expected = at.isoformat(timespec="microseconds")
        assert moment(at) == expected
        assert moment(at.replace(tzinfo=None)) == expected
        if at.year > 1:
            assert moment(at.astimezone(timezone(timedelta(hours=2)))) == expected
        assert moment(at.isoformat()) == expected
    assert moment(None) is None


def test_a_time_stored_as_the_text_of_a_utc_time_is_that_text_and_any_other_is_read() -> None:
    stored = "2026-12-02T07:09:05.028562+00:00"
    assert moment(stored) == stored
    for other, expected in [
        ("2026-12-02 07:09:05.028562+00:00", stored),  # another separator
        ("2026-W49-3T07:09:05.028562+00:00", stored),  # a week date
        ("2026-12-02T09:09:05.028562+02:00", stored),  # another zone
        ("2026-12-02T07:09:05+00:00", "2026-12-02T07:09:05.000000+00:00"),
    ]:
        assert moment(other) == expected


@pytest.mark.parametrize("text", [
    "2026-13-02T07:09:05.028562+00:00", "2026-12-02T07:09:65.028562+00:00",
    "2026-12-02T07:09:05.0285a2+00:00", "2026-12-02T07:09:05.028562+00:0x", "not a time",
])
def test_a_text_shaped_like_a_utc_time_that_is_no_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        moment(text)


def test_an_id_is_its_text_as_a_uuid_or_as_text() -> None:
    value = uuid4()
    assert ident(value) == str(value)
    assert ident(str(value)) == str(value)
    assert ident(UUID(str(value))) == str(value)
    assert ident(None) is None
