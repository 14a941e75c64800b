"""Content-addressed storage for document contents (the events hold only the reference)."""

from lucy_events.blobs.base import BlobCorrupted, BlobMissing, BlobStore, StoredBlob
from lucy_events.blobs.filesystem import FilesystemBlobStore
from lucy_events.blobs.memory import InMemoryBlobStore

__all__ = [
    "BlobCorrupted",
    "BlobMissing",
    "BlobStore",
    "FilesystemBlobStore",
    "InMemoryBlobStore",
    "StoredBlob",
]
