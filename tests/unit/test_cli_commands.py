"""The command line finds every command by name without importing the others."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import lucy_events.cli
from lucy_events.cli import COMMAND_MODULES


def test_every_command_of_every_module_is_listed_with_its_module():
    found = {}
    for info in pkgutil.iter_modules(lucy_events.cli.__path__):
        module = importlib.import_module(f"lucy_events.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = info.name
    assert found == COMMAND_MODULES


def test_running_one_command_does_not_import_the_modules_of_the_others():
    code = ("import sys\nfrom lucy_events.cli import main\n"
            "try:\n    main(['history', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('lucy_events.cli.')))\n"
            "print(sorted(m for m in ('kafka', 'psycopg', 'aiosmtpd', 'dns.resolver')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[-2] == str(["lucy_events.cli.common", "lucy_events.cli.history"])
    assert out[-1] == "[]"  # the embedded default loads no Kafka, PostgreSQL, SMTP or DNS
