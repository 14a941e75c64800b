"""Where the adapters find passwords, access keys and OAuth tokens, by name.

Events and portal settings only ever hold the name (``credentials_ref``). OAuth refresh
tokens rotate, so adapters also write back: ``put`` replaces the values under a name.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from lucy_events.routers.integrations.base import PermanentDeliveryError


class SecretMissing(PermanentDeliveryError):
    """Raised when the secret store holds nothing under the name (a configuration
    error: nobody stored the credentials, or the portal names the wrong ones)."""


class SecretStore(ABC):
    @abstractmethod
    def get(self, ref: str) -> dict[str, str]:
        """A copy of the values stored under ``ref``; ``SecretMissing`` if none are."""

    @abstractmethod
    def put(self, ref: str, values: dict[str, str]) -> None:
        """Replace the values stored under ``ref``."""

    def value(self, ref: str | None, key: str) -> str:
        """One value, or ``SecretMissing`` naming the key (never the value)."""
        if not ref:
            raise SecretMissing("no credentials are configured (credentials_ref is empty)")
        found = self.get(ref).get(key)
        if not found:
            raise SecretMissing(f"credentials {ref!r} have no {key!r}")
        return found


class InMemorySecretStore(SecretStore):
    def __init__(self, initial: dict[str, dict[str, str]] | None = None) -> None:
        self._secrets = {ref: dict(values) for ref, values in (initial or {}).items()}
        self._lock = threading.Lock()

    def get(self, ref: str) -> dict[str, str]:
        with self._lock:
            if ref not in self._secrets:
                raise SecretMissing(f"no credentials named {ref!r}")
            return dict(self._secrets[ref])

    def put(self, ref: str, values: dict[str, str]) -> None:
        with self._lock:
            self._secrets[ref] = {str(k): str(v) for k, v in values.items()}


class FileSecretStore(SecretStore):
    """A JSON file ``{ref: {key: value}}`` readable by its owner only (0600), rewritten
    whole to a temporary file that is fsynced and renamed over it, so a crash leaves the
    old file or the new one, never half of one (a lost rotated refresh token would cut
    the firm off from its package)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def get(self, ref: str) -> dict[str, str]:
        with self._lock:
            secrets = self._read()
        if ref not in secrets:
            raise SecretMissing(f"no credentials named {ref!r}")
        return dict(secrets[ref])

    def put(self, ref: str, values: dict[str, str]) -> None:
        with self._lock:
            secrets = self._read()
            secrets[ref] = {str(k): str(v) for k, v in values.items()}
            self._write(secrets)

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(text) if text.strip() else {}
        if not isinstance(data, dict):
            raise PermanentDeliveryError(f"secret store {self.path} is not a JSON object")
        return {str(ref): dict(values) for ref, values in data.items()}

    def _write(self, secrets: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file 0600 already: the secrets are never readable by others,
        # not even for the moment between writing and renaming.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(secrets, handle, indent=2, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
