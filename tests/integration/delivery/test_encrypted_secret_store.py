"""The package credentials in the database, encrypted at rest: what a backup of the
table shows, a wrong key, a copied row, taking over the old file once, and two processes
rotating refresh tokens at the same moment without losing either write."""

from __future__ import annotations

import base64
import json
import multiprocessing
import secrets
from pathlib import Path

import pytest

from lucy_events.routers.integrations import FileSecretStore, PermanentDeliveryError
from lucy_events.routers.integrations.encrypted_secrets import (
    DatabaseSecretStore,
    SecretsKeyInvalid,
    secrets_key,
)
from lucy_events.sqldb import Database

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
ROTATIONS = 60


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'read.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def _store(url: str, key: str = KEY) -> DatabaseSecretStore:
    return DatabaseSecretStore(Database.from_url(url), secrets_key(key, Path("/nonexistent")))


def test_the_table_holds_only_ciphertext_and_the_values_come_back(database_url: str):
    store = _store(database_url)
    store.put("exact-firm", {"client_secret": "s3cr3t-value", "refresh_token": "r-1"})
    assert store.get("exact-firm") == {"client_secret": "s3cr3t-value", "refresh_token": "r-1"}
    with store.db.transaction() as tx:
        rows = tx.execute("SELECT ref, sealed FROM lucy_secrets")
    assert rows[0][0] == "exact-firm"
    assert "s3cr3t" not in rows[0][1] and "r-1" not in rows[0][1]
    copied = _store(database_url)
    with copied.db.transaction() as tx:
        tx.execute("INSERT INTO lucy_secrets (ref, sealed, updated_at) VALUES "
                   "('ftp-firm', :sealed, 'now')", {"sealed": rows[0][1]})
    with pytest.raises(PermanentDeliveryError, match="cannot be decrypted"):
        copied.get("ftp-firm")  # the name is part of the seal
    other_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    with pytest.raises(PermanentDeliveryError, match="LUCY_SECRETS_KEY") as failure:
        _store(database_url, other_key).get("exact-firm")
    assert "s3cr3t" not in str(failure.value)


def test_a_key_is_made_once_under_the_data_dir_and_a_bad_one_is_refused(tmp_path: Path):
    made = secrets_key(None, tmp_path)
    assert secrets_key(None, tmp_path) == made and len(made) == 32
    assert oct((tmp_path / "secrets_key").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(SecretsKeyInvalid, match="32 bytes"):
        secrets_key(base64.urlsafe_b64encode(b"short").decode(), tmp_path)


def test_the_old_secret_file_is_taken_over_once(tmp_path: Path):
    old = tmp_path / "secrets.json"
    FileSecretStore(old).put("yuki-firm", {"access_key": "k"})
    FileSecretStore(old).put("ftp-firm", {"password": "old"})
    store = _store(f"sqlite:///{tmp_path / 'read.sqlite'}")
    store.put("ftp-firm", {"password": "new"})  # already in the database: it wins
    assert store.migrate_file(old) == 1
    assert store.get("yuki-firm") == {"access_key": "k"}
    assert store.get("ftp-firm") == {"password": "new"}
    assert not old.exists() and (tmp_path / "secrets.json.migrated").exists()
    assert store.migrate_file(old) == 0


def _rotate(url: str, ref: str, start: multiprocessing.synchronize.Barrier) -> None:
    """One router process rotating its firm's refresh token over and over."""
    store = _store(url)
    start.wait(timeout=30)
    for n in range(ROTATIONS):
        values = store.get(ref)
        store.put(ref, {**values, "refresh_token": f"{ref}-{n}"})


def test_two_processes_rotating_refresh_tokens_at_once_lose_neither_write(
        database_url: str):
    store = _store(database_url)
    refs = ("exact-dupont", "exact-claes")
    for ref in refs:
        store.put(ref, {"client_secret": "s", "refresh_token": f"{ref}-start"})
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(refs))
    workers = [spawn.Process(target=_rotate, args=(database_url, ref, start))
               for ref in refs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    assert {ref: store.get(ref)["refresh_token"] for ref in refs} == {
        ref: f"{ref}-{ROTATIONS - 1}" for ref in refs}
    assert json.dumps(store.names()) == json.dumps(sorted(refs))
