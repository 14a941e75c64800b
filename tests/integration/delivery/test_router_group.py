"""Several ``lucy-events route`` processes in one consumer group share the work: every
document is delivered once, one client's documents in the order they arrived. PostgreSQL,
Kafka (tansu), the relay and two routers as processes; a real FTP server receives."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from uuid import UUID

import pytest
from kafka.partitioner.default import murmur2

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.routers.integrations.credentials import FileSecretStore
from tests.e2e.conftest import BIN, Cli, cli_env
from tests.integration.delivery.ftp_server import PASSWORD, USERNAME
from tests.support import open_office


def partition_of(client_id: UUID) -> int:
    """Where Kafka's default partitioner puts the client's events among 3 partitions."""
    return (murmur2(str(client_id).encode()) & 0x7FFFFFFF) % 3


def log_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue  # a traceback's lines, if something failed: shown by the assertions
    return lines


def assigned(path: Path, group: str) -> list[str]:
    """The partitions the process holds in ``group`` after its last rebalance."""
    found: list[str] = []
    for line in log_lines(path):
        if line.get("group") == group and line.get("event") == "partitions assigned":
            found = line["partitions"]
    return found


@pytest.mark.postgres
def test_two_router_processes_share_the_documents_and_deliver_each_exactly_once(
        ftp, broker, postgres_url, tmp_path):
    cli = Cli(cli_env(tmp_path, LUCY_DATABASE_URL=postgres_url,
                      LUCY_KAFKA_BOOTSTRAP=broker.bootstrap,
                      LUCY_KAFKA_SESSION_TIMEOUT_MS="2000",
                      LUCY_KAFKA_HEARTBEAT_INTERVAL_MS="300"), tmp_path)
    cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    services = bootstrap(Settings.from_env(cli.env))
    FileSecretStore(Settings.from_env(cli.env).secrets_file).put(
        "group-ftp", {"password": PASSWORD})
    office = open_office(services.app)
    services.app.configure_portal_integration(office.firm_id, "ftp", {
        "host": ftp.host, "port": str(ftp.port), "username": USERNAME, "tls": "false",
        "root": "/lucy", "credentials_ref": "group-ftp"}, office.admin)
    clients: list = []
    while {partition_of(c) for c in clients} != {0, 1, 2} or len(clients) < 6:
        clients.append(office.new_client(name=f"Client {len(clients)} BV"))
    for client_id in clients:
        services.app.link_integration(office.firm_id, client_id, "ftp", office.admin)

    logs = {name: tmp_path / f"{name}.log" for name in ("relay", "router-1", "router-2")}
    processes = [subprocess.Popen([str(BIN), "route" if name != "relay" else "relay"],
                                  env=cli.env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                  stderr=path.open("wb"))
                 for name, path in logs.items()]
    try:
        deadline = time.monotonic() + 60  # both routers in the group, partitions shared
        while time.monotonic() < deadline and not (
                assigned(logs["router-1"], "router") and assigned(logs["router-2"], "router")
                and len(assigned(logs["router-1"], "router")
                        + assigned(logs["router-2"], "router")) == 3):
            time.sleep(0.2)
        held = [assigned(logs[r], "router") for r in ("router-1", "router-2")]
        assert all(held) and sorted(held[0] + held[1]) == sorted(set(held[0] + held[1]))

        received = {client_id: [office.receive(client_id) for _ in range(5)]
                    for client_id in clients}
        documents = [d for ids in received.values() for d in ids]
        for document_id in documents:  # "Send", as staff do (auto-send waits for recognition)
            services.app.request_send(office.firm_id, document_id, office.admin)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(
                services.app.document(office.firm_id, d).status is not DocumentStatus.SENT
                for d in documents):
            time.sleep(0.3)
        assert [services.app.document(office.firm_id, d).status for d in documents] == (
            [DocumentStatus.SENT] * len(documents))
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=30) for process in processes]
    assert codes == [0, 0, 0]

    files = [p.name for p in ftp.home.rglob("*") if p.is_file()]
    assert sorted(files) == sorted({name for name in files})  # no copies
    assert len(files) == len(documents)
    assert all(any(d.hex in name for name in files) for d in documents)
    sent_by = {r: {line["event_id"].split(":")[0] for line in log_lines(logs[r])
                   if line.get("event") == "document sent"} for r in ("router-1", "router-2")}
    # Every partition holds some clients, so both did some of the work.
    assert sent_by["router-1"] and sent_by["router-2"]
    assert not sent_by["router-1"] & sent_by["router-2"]
    renamed = [name for command, name in ftp.commands() if command == "RNTO"]
    for ids in received.values():  # one client's documents went out in arrival order
        order = [next(i for i, name in enumerate(renamed) if d.hex in name) for d in ids]
        assert order == sorted(order)
    services.close()
