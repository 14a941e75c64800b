"""A blob store in a dict, for unit tests and throw-away runs."""

from __future__ import annotations

from lucy_events.blobs.base import BlobMissing, BlobStore


class InMemoryBlobStore(BlobStore):
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def _write(self, digest: str, content: bytes) -> None:
        self.blobs.setdefault(digest, bytes(content))

    def _read(self, digest: str) -> bytes:
        try:
            return self.blobs[digest]
        except KeyError:
            raise BlobMissing(f"no blob sha256:{digest}") from None

    def _exists(self, digest: str) -> bool:
        return digest in self.blobs

    def _remove(self, digest: str) -> bool:
        return self.blobs.pop(digest, None) is not None
