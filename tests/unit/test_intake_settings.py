"""The SMTP intake's worker processes: one setting, read in config.py; each worker opens
one event store connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from lucy_events.config import ConfigError, Settings


def test_the_intake_takes_mail_in_in_two_worker_processes_unless_set():
    assert Settings.from_env({}).intake_processes == 2
    assert Settings.from_env({"LUCY_INTAKE_PROCESSES": "3"}).intake_processes == 3
    assert Settings.from_env({"LUCY_INTAKE_PROCESSES": "0"}).intake_processes == 0


@pytest.mark.parametrize("bad", ["two", "-1", "1.5"])
def test_a_bad_number_of_intake_processes_names_the_variable(bad):
    with pytest.raises(ConfigError, match="LUCY_INTAKE_PROCESSES"):
        Settings.from_env({"LUCY_INTAKE_PROCESSES": bad})


def test_a_process_of_one_thread_opens_one_event_store_connection_not_five():
    url = "postgresql://lucy@db.example/lucy"
    assert Settings.from_env({"LUCY_DATABASE_URL": url}).eventsourcing_env()[
        "POSTGRES_POOL_SIZE"] == "5"
    one = Settings(data_dir=Path("v"), database_url=url, blob_dir=Path("v/b"),
                   database_pool_size=1)
    assert one.eventsourcing_env()["POSTGRES_POOL_SIZE"] == "1"
