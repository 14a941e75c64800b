"""The secret stores the adapters read credentials from (and write rotated tokens to)."""

from __future__ import annotations

import stat

import pytest

from lucy_events.routers.integrations import (
    FileSecretStore,
    InMemorySecretStore,
    PermanentDeliveryError,
    SecretMissing,
)


def test_a_file_secret_store_is_readable_by_its_owner_only_and_rewritten_atomically(tmp_path):
    path = tmp_path / "secrets" / "integrations.json"
    store = FileSecretStore(path)
    store.put("exact-firm", {"refresh_token": "r1", "client_secret": "s"})
    store.put("exact-firm", {"refresh_token": "r2", "client_secret": "s"})
    store.put("ftp-firm", {"password": "p"})

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["integrations.json"]  # no temp files
    reopened = FileSecretStore(path)
    assert reopened.get("exact-firm") == {"refresh_token": "r2", "client_secret": "s"}
    assert reopened.get("ftp-firm") == {"password": "p"}


@pytest.mark.parametrize("store", [InMemorySecretStore(), "file"])
def test_a_missing_secret_is_a_permanent_failure_naming_the_reference_not_a_value(
        tmp_path, store):
    secrets = FileSecretStore(tmp_path / "s.json") if store == "file" else store
    secrets.put("yuki-firm", {"access_key": "very-secret-key"})

    with pytest.raises(SecretMissing, match="'exact-firm'"):
        secrets.get("exact-firm")
    with pytest.raises(PermanentDeliveryError, match="no 'password'") as failure:
        secrets.value("yuki-firm", "password")
    assert "very-secret-key" not in str(failure.value)
    with pytest.raises(SecretMissing, match="credentials_ref is empty"):
        secrets.value(None, "password")


def test_a_secret_store_hands_out_copies_so_callers_cannot_change_it_by_accident():
    secrets = InMemorySecretStore({"hook": {"secret": "s"}})
    secrets.get("hook")["secret"] = "changed"
    assert secrets.get("hook") == {"secret": "s"}
