"""``lucy-events schemas register URL``, run as a user runs it, against a registry stand-in
that keeps Confluent's rules (tests/support_registry.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lucy_events.bus.avro import RegisteredSchema, SchemaRegistryFile
from lucy_events.bus.schema_registry import SchemaRegistryClient, schema_text
from tests.support_registry import FakeSchemaRegistry

CLI = Path(sys.executable).with_name("lucy-events")
SCHEMAS = SchemaRegistryFile().schemas


@pytest.fixture
def registry() -> Iterator[FakeSchemaRegistry]:
    with FakeSchemaRegistry() as running:
        yield running


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, ",".join(filter(None, [os.environ.get(name), "127.0.0.1"])))


def register(url: str) -> subprocess.CompletedProcess[str]:
    if not CLI.is_file():
        pytest.fail(f"{CLI} is missing: pip install -e . in this venv")
    return subprocess.run([str(CLI), "schemas", "register", url], capture_output=True,
                          text=True, timeout=60, env=os.environ.copy())


def entry(event_type: str, version: int = 1) -> RegisteredSchema:
    return next(s for s in SCHEMAS
                if s.subject == f"lucy.events.{event_type}" and s.version == version)


def writes(registry: FakeSchemaRegistry) -> list[tuple[str, str]]:
    return [(m, p) for m, p in registry.requests
            if m == "PUT" or (m == "POST" and p.endswith("/versions"))]


def test_every_schema_is_registered_under_the_id_of_registry_json(registry):
    run = register(registry.url)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    listed = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "registry.json")
                        .read_text())["schemas"]
    assert len(lines) == len(SCHEMAS) == len(listed)
    assert all(line.startswith("registered ") for line in lines)
    client = SchemaRegistryClient(registry.url)
    for schema in SCHEMAS:
        assert json.loads(client.schema(schema.id)["schema"]) == schema.schema
        held = client.version(schema.subject, schema.version)
        assert (held["id"], held["version"]) == (schema.id, schema.version)
    assert sorted(client.subjects()) == sorted({s.subject for s in SCHEMAS})
    assert all(mode == "READWRITE" for mode in registry.state.modes.values())


def test_peppol_enabled_keeps_v1_before_v2_so_old_events_still_name_their_schema(registry):
    run = register(registry.url)

    subjects = [" ".join(line.split()[1:3]) for line in run.stdout.splitlines()]
    assert subjects.index("lucy.events.PeppolEnabled v1") < \
        subjects.index("lucy.events.PeppolEnabled v2")

    client = SchemaRegistryClient(registry.url)
    assert client.versions("lucy.events.PeppolEnabled") == [1, 2, 3]
    assert client.version("lucy.events.PeppolEnabled", 1)["id"] == 1100
    assert client.version("lucy.events.PeppolEnabled", "latest")["id"] == 1140


def test_a_second_run_finds_everything_present_and_writes_nothing(registry):
    assert register(registry.url).returncode == 0
    written = len(writes(registry))

    again = register(registry.url)

    assert again.returncode == 0, again.stderr
    assert [line.split("  ")[0].strip() for line in again.stdout.splitlines()] == \
        ["already present"] * len(SCHEMAS)
    assert len(writes(registry)) == written
    assert f"0 registered, {len(SCHEMAS)} already present" in again.stderr


def test_a_schema_the_registry_holds_under_another_id_stops_the_run_naming_both_ids(registry):
    sent = entry("DocumentSent")
    client = SchemaRegistryClient(registry.url)
    client.set_mode(sent.subject, "IMPORT")
    client.register(sent.subject, schema_text(sent), schema_id=999, version=1)

    run = register(registry.url)

    assert run.returncode == 1
    assert "lucy.events.DocumentSent" in run.stderr
    assert "under id 999" in run.stderr and "id 1204" in run.stderr
    assert client.version(sent.subject, 1)["id"] == 999
    with pytest.raises(Exception, match="40403"):
        client.schema(1204)


def test_a_version_held_by_another_schema_is_never_overwritten(registry):
    sent, other = entry("DocumentSent"), entry("DocumentArchived")
    client = SchemaRegistryClient(registry.url)
    client.register(sent.subject, schema_text(other))  # READWRITE: the registry picks id 1

    run = register(registry.url)

    assert run.returncode == 1
    assert "lucy.events.DocumentSent: version 1" in run.stderr
    assert "(id 1)" in run.stderr and "(id 1204)" in run.stderr
    assert client.version(sent.subject, 1)["id"] == 1


def test_a_registry_refusing_import_mode_is_reported_with_its_error_code():
    with FakeSchemaRegistry(mode_changes=False) as refusing:
        run = register(refusing.url)

    assert run.returncode == 1
    assert "PUT /mode/lucy.events.FirmRegistered: Mode changes are not allowed" in run.stderr
    assert "HTTP 422, error_code 42205" in run.stderr
    assert run.stdout == ""


def test_credentials_in_the_url_are_sent_but_never_printed():
    with FakeSchemaRegistry(credentials=("lucy", "s3cret")) as guarded:
        denied = register(guarded.url)
        allowed = register(guarded.url.replace("http://", "http://lucy:s3cret@"))

    assert denied.returncode == 1 and "Unauthorized (HTTP 401" in denied.stderr
    assert allowed.returncode == 0, allowed.stderr
    assert "s3cret" not in allowed.stdout + allowed.stderr


def test_an_unreachable_registry_is_a_clear_error():
    with FakeSchemaRegistry() as stopped:
        url = stopped.url  # once stopped, its port refuses connections

    run = register(url)

    assert run.returncode == 1
    assert f"cannot reach {url}" in run.stderr


def test_every_subject_gets_compatibility_full_once(registry):
    registry.state.compatibility["lucy.events.DocumentSent"] = "BACKWARD"  # set by someone

    first = register(registry.url)

    assert first.returncode == 0, first.stderr
    subjects = {s.subject for s in SCHEMAS}
    client = SchemaRegistryClient(registry.url)
    assert {client.compatibility(subject) for subject in subjects} == {"FULL"}
    assert f"compatibility FULL on {len(subjects)} subjects ({len(subjects)} set now)" in (
        first.stderr)
    before = len(writes(registry))
    again = register(registry.url)
    assert f"({0} set now)" in again.stderr
    assert len(writes(registry)) == before  # nothing written the second time


def test_a_schema_registered_before_its_docs_were_added_counts_as_present(registry):
    sent = entry("DocumentSent")
    undocumented = json.loads(schema_text(sent))
    undocumented.pop("doc")
    for field in undocumented["fields"]:
        field.pop("doc", None)
    client = SchemaRegistryClient(registry.url)
    client.set_mode(sent.subject, "IMPORT")
    client.register(sent.subject, json.dumps(undocumented), schema_id=sent.id, version=1)
    client.set_mode(sent.subject, "READWRITE")

    run = register(registry.url)

    assert run.returncode == 0, run.stderr
    assert "already present  lucy.events.DocumentSent v1  id 1204" in run.stdout
    assert client.version(sent.subject, 1)["id"] == sent.id
