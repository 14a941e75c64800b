"""The first five minutes, as a newcomer tries them: the demo seeded once however often
it runs, every example of the README working as written, and `serve --demo` printing how
to sign in where it is seen, with the demo's e-mail packages delivering to the outbox."""

from __future__ import annotations

import json
import re
import shlex
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from lucy_events.demo import EMAIL_PACKAGES
from tests.e2e.conftest import Cli, free_port

README = Path(__file__).resolve().parents[2] / "README.md"
RULE = "─" * 78


def test_the_demo_is_seeded_once_however_often_it_runs(sqlite_cli: Cli):
    first = sqlite_cli.run("demo")
    assert "Seeded the demo firm" in first.stderr
    second = sqlite_cli.run("demo")
    assert "already there" in second.stderr and "Seeded" not in second.stderr
    lines = sqlite_cli.run("history", "Brouwerij Het Anker").stdout.splitlines()
    assert lines and "Brouwerij Het Anker" in lines[0]  # one match, not ambiguous


def test_every_example_of_the_readme_works_as_written(sqlite_cli: Cli):
    block = README.read_text().split("## Using it", 1)[1].split("```sh", 1)[1].split("```")[0]
    examples = [shlex.split(line.split("  #")[0]) for line in block.strip().splitlines()]
    ran = 0
    for words in examples:
        assert words[0] == ".venv/bin/lucy-events", words
        if words[1] == "serve":
            continue  # runs until stopped: test_serve_with_demo_... starts it
        sqlite_cli.run(*words[1:])
        ran += 1
    assert ran >= 3
    as_json = [json.loads(line) for line in sqlite_cli.run(
        "history", "BE0326339276", "--as-of", "2099-01-01", "--json").stdout.splitlines()]
    assert as_json and as_json[0]["event"] == "ClientCreated"


def _api(base: str, token: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        f"{base}/api/v1{path}", method="POST" if body is not None else "GET",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read() or b"null")


def test_serve_demo_prints_the_sign_in_last_and_e_mail_packages_reach_sent_via_the_outbox(
        sqlite_cli: Cli):
    port = free_port()
    process = sqlite_cli.start("serve", "--demo", "--port", str(port))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")),
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and lines.count(RULE + "\n") < 2:
            assert process.poll() is None, "".join(lines)
            time.sleep(0.2)
        frame = "".join(lines).split(RULE + "\n")
        assert len(frame) >= 3, "".join(lines)
        banner = frame[1]
        found = re.search(r"Sign in at (\S+) as sofie@dupont-partners.be with token (\S+)",
                          banner)
        assert found, banner
        assert "/outbox" in banner and "--port" in banner and "PORT=" in banner
        base, token = found.group(1), found.group(2)

        clients = _api(base, token, "/clients?tab=all&page_size=100")["items"]
        mailed = [c for c in clients if c.get("integration_package") in EMAIL_PACKAGES]
        document = next(
            d for c in mailed
            for d in _api(base, token, f"/clients/{c['id']}/documents")["items"]
            if d["status"] == "Inbox" and d["document_type"] and not d["possible_duplicate"])
        _api(base, token, f"/documents/{document['id']}/send", {})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = _api(base, token, f"/documents/{document['id']}")["status"]
            if status not in ("Inbox", "Sending"):
                break
            time.sleep(0.2)
        assert status == "Sent", status
        outbox = _api(base, token, "/outbox")
        assert outbox["backend"] == "outbox"
        assert any(document["file_name"] in m["subject"] for m in outbox["messages"])
    finally:
        process.terminate()
        process.wait(timeout=15)
