"""Each of the service's own e-mails goes out once: of two processes claiming the same
key, one wins; a failed send gives the key back. On SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lucy_events.notifications.ledger import SentMail
from lucy_events.sqldb import Database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database.from_url(f"sqlite:///{tmp_path / 'read.sqlite'}")
    return Database.from_url(request.getfixturevalue("postgres_url"))


def test_one_of_many_claims_of_a_key_wins_and_a_release_gives_it_back(database: Database):
    SentMail(database)
    ledgers = [SentMail(database) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(lambda ledger: ledger.claim("invitation:h1", "a@x", "s", "<m>"),
                            ledgers))
    assert won.count(True) == 1
    assert ledgers[0].was_sent("invitation:h1")
    ledgers[0].release("invitation:h1")
    assert not ledgers[1].was_sent("invitation:h1")
    assert ledgers[1].claim("invitation:h1", "a@x", "s", "<m>")
    database.close()
