"""The blob store interface: put bytes, get them back verified by their sha256."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

PREFIX = "sha256:"


class BlobError(Exception):
    """Base of the blob store's errors."""


class BlobMissing(BlobError):
    """Raised when no blob is stored under the reference."""


class BlobCorrupted(BlobError):
    """Raised when the stored bytes no longer hash to their reference."""


@dataclass(frozen=True)
class StoredBlob:
    ref: str
    sha256: str
    size: int


class BlobStore(ABC):
    """Stores bytes under ``sha256:<hex>``; storing the same bytes twice is a no-op.

    A blob is stored (durably) before the event that refers to it, so a crash leaves at
    worst an unreferenced blob, never an event pointing at nothing.
    """

    def put(self, content: bytes) -> StoredBlob:
        digest = hashlib.sha256(content).hexdigest()
        ref = PREFIX + digest
        self._write(digest, content)
        return StoredBlob(ref, digest, len(content))

    def get(self, ref: str) -> bytes:
        digest = self._digest(ref)
        content = self._read(digest)
        if hashlib.sha256(content).hexdigest() != digest:
            raise BlobCorrupted(f"{ref} no longer matches its content")
        return content

    def exists(self, ref: str) -> bool:
        return self._exists(self._digest(ref))

    def remove(self, ref: str) -> bool:
        """Remove a blob (retention: only once no kept document refers to it); False
        when it was not there."""
        return self._remove(self._digest(ref))

    @staticmethod
    def _digest(ref: str) -> str:
        if not ref.startswith(PREFIX) or len(ref) != len(PREFIX) + 64:
            raise BlobMissing(f"{ref!r} is not a blob reference")
        return ref[len(PREFIX):]

    @abstractmethod
    def _write(self, digest: str, content: bytes) -> None: ...

    @abstractmethod
    def _read(self, digest: str) -> bytes: ...

    @abstractmethod
    def _exists(self, digest: str) -> bool: ...

    @abstractmethod
    def _remove(self, digest: str) -> bool: ...
