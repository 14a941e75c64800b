"""The filesystem blob store on a real disk."""

from __future__ import annotations

import pytest

from lucy_events.blobs import BlobCorrupted, FilesystemBlobStore


def test_a_blob_is_written_once_atomically_and_read_back(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    blob = store.put(b"%PDF invoice")
    path = tmp_path / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    assert path.read_bytes() == b"%PDF invoice"
    assert store.put(b"%PDF invoice") == blob
    assert not list(tmp_path.rglob(".incoming-*"))
    assert FilesystemBlobStore(tmp_path).get(blob.ref) == b"%PDF invoice"


def test_a_file_changed_on_disk_is_refused_on_read(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    blob = store.put(b"%PDF invoice")
    (tmp_path / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256).write_bytes(b"tampered")
    with pytest.raises(BlobCorrupted):
        store.get(blob.ref)
