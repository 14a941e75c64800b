"""Open sessions to a server kept per thread, for the thread's next message to it.

An FTP delivery paid a connection, the server's banner, USER, PASS, QUIT and a read of the
password from the secret store before its own few commands; an e-mail one a connection,
EHLO (and STARTTLS, AUTH) and QUIT. Under load that was about a third of a router
worker's time (docs/benchmarks.md, Delivery, Session 6). So a thread keeps the session it
used, one per account, and hands it to its next use of the same account; a session
unused for longer than ``IDLE_LIMIT_S`` is closed when next met instead of used (servers
drop idle sessions after minutes; well before that, a quiet process should not hold the
server's connections). Never more sessions than the threads had open at once before: one
per thread and account, at most ``PER_THREAD`` accounts a thread.

``run`` is the one way the users (``routers/integrations/ftp_sessions.py``,
``notifications/smtp.py``) work in a session: they say which errors mean a kept session
went stale (the server closed it: it fails at its first command), and the work is then
done once more on a new session (every delivery is idempotent under its delivery key, so
doing it again from the start is safe).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import structlog

S = TypeVar("S")
T = TypeVar("T")
log = structlog.get_logger()

#: Seconds a kept session may stay unused and still be used again.
IDLE_LIMIT_S = 30.0
#: Accounts a worker thread keeps a session for (the least recently used is closed).
PER_THREAD = 4


class KeptSessions(Generic[S]):
    """Sessions by account, each thread its own; ``close`` ends one (quietly)."""

    def __init__(self, close: Callable[[S], None], *, idle_limit: float = IDLE_LIMIT_S,
                 per_thread: int = PER_THREAD, name: str = "session") -> None:
        self._close = close
        self._name = name
        self._idle_limit = idle_limit
        self._per_thread = per_thread
        self._local = threading.local()

    def _kept(self) -> OrderedDict[Hashable, tuple[S, float]]:
        kept = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = OrderedDict()
        return kept

    def take(self, account: Hashable) -> S | None:
        """This thread's open session to ``account``, now the caller's, or None."""
        found = self._kept().pop(account, None)
        if found is None:
            return None
        session, last_used = found
        if time.monotonic() - last_used > self._idle_limit:
            self._close(session)
            return None
        return session

    def give_back(self, account: Hashable, session: S) -> None:
        """Keep a session that ended its delivery in good order, for the next one."""
        kept = self._kept()
        now = time.monotonic()
        for other, (old, last_used) in list(kept.items()):
            if now - last_used > self._idle_limit:
                del kept[other]
                self._close(old)
        replaced = kept.pop(account, None)
        if replaced is not None:
            self._close(replaced[0])
        kept[account] = (session, now)
        while len(kept) > self._per_thread:
            _, (oldest, _) = kept.popitem(last=False)
            self._close(oldest)

    def run(self, account: Hashable, open_session: Callable[[], S], work: Callable[[S], T],
            *, stale: Callable[[Exception], bool], keep: bool = True) -> T:
        """``work`` in this thread's kept session to ``account`` (``keep``), else in a new
        one from ``open_session``. A kept session failing with an error that ``stale``
        says means the server closed it is closed, and the work done once more in a new
        one. A session whose work raised is closed (its state is unknown); one whose work
        ended is kept (``keep``) or closed."""
        kept = self.take(account) if keep else None
        if kept is not None:
            try:
                return self._use(account, kept, work, keep)
            except Exception as error:
                if not stale(error):
                    raise
                log.info("a kept session failed; once more on a new one",
                         session=self._name, error=repr(error))
        return self._use(account, open_session(), work, keep)

    def _use(self, account: Hashable, session: S, work: Callable[[S], T], keep: bool) -> T:
        try:
            result = work(session)
        except BaseException:
            self._close(session)
            raise
        if keep:
            self.give_back(account, session)
        else:
            self._close(session)
        return result
