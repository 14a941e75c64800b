"""Sessions kept per thread and account: used again while fresh, closed when stale or
when a thread keeps too many."""

from __future__ import annotations

import threading

from lucy_events.kept_sessions import KeptSessions


def kept(**options: float) -> tuple[KeptSessions[str], list[str]]:
    closed: list[str] = []
    return KeptSessions(closed.append, **options), closed  # type: ignore[arg-type]


def test_a_session_given_back_is_taken_again_for_its_account_only():
    sessions, closed = kept()
    sessions.give_back("ftp-a", "session-a")
    assert sessions.take("ftp-b") is None
    assert sessions.take("ftp-a") == "session-a"
    assert sessions.take("ftp-a") is None  # taken: now the caller's alone
    assert closed == []


def test_a_session_unused_past_the_idle_limit_is_closed_instead_of_used():
    sessions, closed = kept(idle_limit=0.0)
    sessions.give_back("ftp-a", "session-a")
    threading.Event().wait(0.01)
    assert sessions.take("ftp-a") is None
    assert closed == ["session-a"]


def test_a_thread_keeping_too_many_accounts_closes_the_least_recently_used():
    sessions, closed = kept(per_thread=2)
    for name in ("a", "b", "c"):
        sessions.give_back(name, f"session-{name}")
    assert closed == ["session-a"]
    assert sessions.take("c") == "session-c"


def test_another_thread_never_gets_this_threads_session():
    sessions, _ = kept()
    sessions.give_back("ftp-a", "session-a")
    found: list[str | None] = []
    other = threading.Thread(target=lambda: found.append(sessions.take("ftp-a")))
    other.start()
    other.join()
    assert found == [None]
