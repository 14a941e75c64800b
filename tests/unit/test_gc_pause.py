from __future__ import annotations

import gc
import threading

from lucy_events.gc_pause import SPACED_THRESHOLD, collector_paused, fewer_collections


def test_the_collector_runs_again_only_when_the_last_overlapping_pause_ends():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pauses_in_other_threads_leave_the_collector_on_once_all_have_ended():
    inside, release = threading.Barrier(3), threading.Event()

    def read() -> None:
        with collector_paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off_after_a_pause():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_when_the_paused_read_fails():
    try:
        with collector_paused():
            raise ValueError("a read that failed")
    except ValueError:
        pass
    assert gc.isenabled()


def test_collections_are_spaced_until_the_last_overlapping_use_ends():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (max(before[0], SPACED_THRESHOLD), *before[1:])
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == max(before[0], SPACED_THRESHOLD)
        assert gc.isenabled()
    assert gc.get_threshold() == before


def test_spaced_collections_end_when_the_work_fails():
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise ValueError("a batch that failed")
    except ValueError:
        pass
    assert gc.get_threshold() == before
