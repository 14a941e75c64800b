"""What kind of document a text is: invoice, credit note, receipt or other, and how sure.

A kind word set as a title (at the start of its segment, alone or followed by a number,
or in a larger font) is strong evidence; the same word in running text ("betreft
factuur 12") is weak. A credit note titled anywhere is a credit note: its text usually
names the invoice it corrects.
"""

from __future__ import annotations

import re
from statistics import median

from lucy_events.recognition.labels import KINDS, plain
from lucy_events.recognition.layout import Layout, Segment

#: Scores: a title, a word in the text, a field label that implies the kind.
TITLE, MENTION, IMPLIED = 0.95, 0.65, 0.55
_IMPLIED_INVOICE = re.compile(
    r"factuur(?:nummer|datum|nr)|rechnungs(?:nummer|datum)|invoice (?:number|date|no)|"
    r"(?:numero|date) de (?:la )?facture"
)
#: Kind words that are also everyday words ("pour avoir", "ticket nr"): titles only.
_TITLE_ONLY = {"avoir", "ticket", "recu"}
_TITLE_REST = re.compile(r"^[\s:.#°no]*(?:nr\.?|n[°o]\.?|no\.?|number|nummer)?[\s:.#°]*\S*\s*$")


def _is_title(segment: Segment, match: re.Match[str], text: str, big: float) -> bool:
    if text[: match.start()].strip(" *-:"):
        return False
    rest = text[match.end():]
    return bool(_TITLE_REST.match(rest)) or segment.height >= big


def document_kind(layout: Layout) -> tuple[str, float]:
    """The kind and a score in [0, 1]; ``("other", 0.3)`` when no kind word was found."""
    segments = layout.segments
    if not segments:
        return "other", 0.0
    big = 1.3 * median(s.height for s in segments)
    candidates: list[tuple[float, bool, int, str]] = []
    for index, segment in enumerate(segments):
        text = plain(segment.text).strip()
        for kind, pattern in KINDS:
            for match in pattern.finditer(text):
                title = _is_title(segment, match, text, big)
                if not title and match.group(0) in _TITLE_ONLY:
                    continue
                score = TITLE if title else MENTION
                candidates.append((score, title and kind == "credit-note", -index, kind))
                break
    # the strongest evidence wins; then a credit-note title; then the first read
    best = max(candidates) if candidates else None
    if best is not None:
        return best[3], best[0]
    if any(_IMPLIED_INVOICE.search(plain(s.text)) for s in segments):
        return "invoice", IMPLIED
    return "other", 0.3
