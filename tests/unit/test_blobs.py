"""The content-addressed blob store's contract, in memory."""

from __future__ import annotations

import hashlib

import pytest

from lucy_events.blobs import BlobCorrupted, BlobMissing, InMemoryBlobStore


def test_content_is_stored_under_its_sha256_and_read_back():
    store = InMemoryBlobStore()
    blob = store.put(b"invoice")
    assert blob.ref == "sha256:" + hashlib.sha256(b"invoice").hexdigest()
    assert store.get(blob.ref) == b"invoice"
    assert store.put(b"invoice") == blob


def test_a_corrupted_blob_is_detected_on_read():
    store = InMemoryBlobStore()
    blob = store.put(b"invoice")
    store.blobs[blob.sha256] = b"tampered"
    with pytest.raises(BlobCorrupted):
        store.get(blob.ref)


def test_an_unknown_or_malformed_reference_is_missing():
    store = InMemoryBlobStore()
    with pytest.raises(BlobMissing):
        store.get("sha256:" + "0" * 64)
    with pytest.raises(BlobMissing):
        store.get("../../etc/passwd")
