"""The standard library's MIME parse (``compat32``), without its walk, line by line,
through long base64 bodies.

``email``'s feed parser handles every line of a mail in Python: the ~1,800 lines of a
100 KB attachment cost the intake more than everything else it does per mail but the
SMTP conversation (bench/intake.py, docs/benchmarks.md). So before parsing, each run of
at least ``MIN_LINES`` lines made only of base64 characters is folded into one line (a
marker with the run's number), and after parsing the runs are put back where the
markers landed. The result is the Message the plain parse builds:

- such a line is content wherever it stands: it cannot be a boundary (those begin with
  ``--``), a header (no colon, no leading blank) or the blank line that ends headers,
  and the marker is such a line too, so the parser takes the same path for it;
- a run is folded without its last line end, which stays where it was, so the rule that
  the line end before a boundary belongs to the boundary applies as before;
- markers carry a random part absent from the mail; a marker not found again in a body
  (a payload, preamble or epilogue) would mean one of the above did not hold: the mail
  is then parsed plainly, so the worst case is the old speed, never another result.

tests/unit/test_mime_parse.py compares the two parses part by part.
"""

from __future__ import annotations

import email
import email.policy
import re
import secrets
from email.message import Message

#: Runs shorter than this are parsed line by line: folding them would not pay.
MIN_LINES = 8
_LINE = rb"[A-Za-z0-9+/=]++"
#: After a line end: MIN_LINES base64 lines, the last without its line end.
_RUN = re.compile(rb"\n((?:" + _LINE + rb"\r?\n){%d,}" % (MIN_LINES - 1) + _LINE
                  + rb")(?=\r?\n)")
_MARKED = re.compile(r"lucyfold([0-9a-f]{16})n(\d{6})")


def parse_mail(raw: bytes) -> Message:
    marker = _marker(raw)
    runs: list[bytes] = []

    def fold(found: re.Match[bytes]) -> bytes:
        runs.append(found.group(1))
        return b"\n" + marker + b"%06d" % (len(runs) - 1)

    folded = _RUN.sub(fold, raw)
    message = email.message_from_bytes(folded, policy=email.policy.compat32)
    if runs and _unfold(message, marker.decode(), [r.decode("ascii") for r in runs]) != len(
            runs):
        return email.message_from_bytes(raw, policy=email.policy.compat32)
    return message


def _marker(raw: bytes) -> bytes:
    while True:
        marker = b"lucyfold" + secrets.token_hex(8).encode() + b"n"
        if marker not in raw:
            return marker


def _unfold(message: Message, marker: str, runs: list[str]) -> int:
    """Put the runs back in place of their markers; how many markers were found."""
    nonce = marker[len("lucyfold"):-1]
    found = 0

    def back(match: re.Match[str]) -> str:
        nonlocal found
        if match.group(1) != nonce:  # written by the sender, not by ``fold``
            return match.group(0)
        found += 1
        return runs[int(match.group(2))]

    for part in message.walk():
        # The raw payload (``get_payload()`` would decode a body with 8-bit bytes).
        payload = part._payload  # type: ignore[attr-defined]
        if isinstance(payload, str) and marker in payload:
            part._payload = _MARKED.sub(back, payload)  # type: ignore[attr-defined]
        for name in ("preamble", "epilogue"):
            text = getattr(part, name)
            if text and marker in text:
                setattr(part, name, _MARKED.sub(back, text))
    return found
