"""The DATA of one SMTP mail, read in chunks, with the outcome aiosmtpd's DATA loop gives.

aiosmtpd reads DATA one line at a time: an await, a debug log call, a few checks and two
joins per line. A mail with a 100 KB attachment has some 1,800 lines, and that loop was
most of the SMTP server's CPU per mail, more than everything the intake does with the mail
(bench/intake.py, docs/benchmarks.md). Here the stream is read up to each ``.<CRLF>`` (or
as much as the reader holds when there is none), and the rules look at lines only where
they need to, rule by rule as aiosmtpd applies them:

- the data ends at the first line that is a lone dot: ``<CRLF>.<CRLF>``, or ``.<CRLF>``
  straight after the DATA command;
- a line longer than ``line_limit`` with its CRLF gets ``500``, more data than
  ``size_limit`` gets ``552``, whichever aiosmtpd's loop meets first (a line too long
  for the reader's buffer limit is refused before its bytes are counted, any other line
  is counted first); the data is read to its end either way, but not kept past the limit;
- a line that begins with a dot loses that dot (RFC 5321 4.5.2).

tests/integration/intake/test_smtp_data.py sends the same byte streams to aiosmtpd's own
server and to the intake's, and compares the replies and the content they hand on.
"""

from __future__ import annotations

import asyncio
import enum

CRLF = b"\r\n"
_DOT_LINE = b".\r\n"


class DataOutcome(enum.Enum):
    COMPLETE = "250"
    TOO_LONG = "500 Line too long (see RFC5321 4.5.3.1.6)"
    TOO_MUCH = "552 Error: Too much mail data"


async def read_data(reader: asyncio.StreamReader, *, size_limit: int | None,
                    line_limit: int) -> tuple[DataOutcome, bytes]:
    """Read up to the closing dot line: the outcome, and the content when COMPLETE
    (dot-unstuffed; as aiosmtpd's ``original_content``). ``reader``'s buffer limit must
    be ``line_limit``, as aiosmtpd builds it."""
    kept: list[bytes] = []
    kept_size = total = 0
    # Enough to tell whether the line that crosses the size limit is too long itself.
    keep_at_most = size_limit + line_limit + 2 if size_limit else None
    tail = CRLF  # the DATA command's line end: a dot line straight after it ends the data
    while True:
        last = False
        try:
            chunk = await reader.readuntil(_DOT_LINE)
        except asyncio.LimitOverrunError as error:  # no dot line within the buffer limit
            chunk = await reader.readexactly(error.consumed)
        else:
            before = chunk[:-len(_DOT_LINE)]
            last = (before if len(before) >= 2 else tail + before).endswith(CRLF)
            if last:
                chunk = before
        total += len(chunk)
        if keep_at_most is None or kept_size < keep_at_most:
            kept.append(chunk)
            kept_size += len(chunk)
        if last:
            break
        tail = chunk[-2:] if len(chunk) >= 2 else (tail + chunk)[-2:]
    data = b"".join(kept)
    outcome = _outcome(data, total, size_limit, line_limit)
    if outcome is not DataOutcome.COMPLETE:
        return outcome, b""
    return outcome, (CRLF + data).replace(CRLF + b".", CRLF)[len(CRLF):]


def _outcome(data: bytes, total: int, size_limit: int | None, line_limit: int
             ) -> DataOutcome:
    """``data``: the stream before the dot line (its start, when ``total`` is more)."""
    too_much_at = None
    if size_limit and total > size_limit:
        # The line that holds the first byte past the limit: counting it trips the limit.
        found = data.rfind(CRLF, 0, size_limit)
        too_much_at = found + len(CRLF) if found >= 0 else 0
    long_at, overrun = None, False
    lines = data.split(CRLF)
    if max(map(len, lines)) + len(CRLF) > line_limit:
        offset = 0
        for line in lines:
            if len(line) + len(CRLF) > line_limit:
                long_at, overrun = offset, len(line) > line_limit
                break
            offset += len(line) + len(CRLF)
    if long_at is None:
        return DataOutcome.COMPLETE if too_much_at is None else DataOutcome.TOO_MUCH
    if too_much_at is None or long_at < too_much_at or (long_at == too_much_at
                                                        and overrun):
        return DataOutcome.TOO_LONG
    return DataOutcome.TOO_MUCH
