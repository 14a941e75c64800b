"""The pipe to the relay's reader process has room for a whole batch, so the child writes
an answer at once (bus/relay_reader.py)."""

from __future__ import annotations

import multiprocessing
import pickle
import socket
from pathlib import Path

from lucy_events.bus.relay_reader import _PIPE_BUFFER, _roomy
from lucy_events.bus.relay_records import Batch


def buffers(conn) -> tuple[int, int]:
    with socket.socket(fileno=conn.fileno()) as sock:
        try:
            return (sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
                    sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
        finally:
            sock.detach()  # the connection keeps its descriptor


def kernel_max(name: str) -> int:
    return int(Path(f"/proc/sys/net/core/{name}").read_text())


def test_both_ends_ask_for_room_for_a_whole_batch():
    ours, theirs = multiprocessing.Pipe()
    try:
        _roomy(ours)
        _roomy(theirs)
        for conn in (ours, theirs):
            sent, received = buffers(conn)
            # Linux doubles what it is asked for, up to its limits.
            assert sent >= min(_PIPE_BUFFER, kernel_max("wmem_max"))
            assert received >= min(_PIPE_BUFFER, kernel_max("rmem_max"))
    finally:
        ours.close()
        theirs.close()


def test_a_batch_of_a_thousand_records_fits_when_the_kernel_allows_it():
    records = [("lucy.document-events.v1", b"k" * 36, b"v" * 415,
                [("event-type", b"DocumentReceived"), ("event-id", b"e" * 38),
                 ("schema-id", b"1230")]) for _ in range(1000)]
    size = len(pickle.dumps(Batch(0, 1000, records)))
    assert size < _PIPE_BUFFER


def test_the_connection_still_works_after_it():
    ours, theirs = multiprocessing.Pipe()
    try:
        _roomy(ours)
        _roomy(theirs)
        theirs.send_bytes(pickle.dumps(Batch(3, 4, [])))
        assert ours.recv() == Batch(3, 4, [])
    finally:
        ours.close()
        theirs.close()
