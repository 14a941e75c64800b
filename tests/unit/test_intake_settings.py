"""The SMTP intake's worker processes: one setting, read in config.py."""

from __future__ import annotations

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
