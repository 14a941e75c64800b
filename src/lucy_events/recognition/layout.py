"""A page as lines of text segments with positions, whatever read it.

pdfplumber's words, tesseract's words and plain text all become the same ``Layout``:
lines top to bottom, each split into segments where a wide gap separates columns
("Totaal excl. btw" ... "1.000,00"). The field readers then ask where a value is
relative to its label (same segment, to the right, below) without knowing the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Segment:
    """Words of one line close enough to belong together."""

    text: str
    page: int
    line: int
    x0: float
    x1: float
    top: float
    bottom: float
    page_height: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def in_footer(self) -> bool:
        return self.top > 0.85 * self.page_height


@dataclass(frozen=True)
class Layout:
    lines: tuple[tuple[Segment, ...], ...]

    @property
    def segments(self) -> list[Segment]:
        return [segment for line in self.lines for segment in line]

    @property
    def text(self) -> str:
        return "\n".join("   ".join(s.text for s in line) for line in self.lines)

    def right_of(self, segment: Segment) -> Segment | None:
        for other in self.lines[segment.line]:
            if other.x0 > segment.x0:
                return other
        return None

    def below(self, segment: Segment, within: int = 2) -> Segment | None:
        """The first segment under ``segment`` (overlapping it horizontally) within
        ``within`` lines, on the same page."""
        for index in range(segment.line + 1, min(segment.line + 1 + within, len(self.lines))):
            for other in self.lines[index]:
                if other.page != segment.page:
                    return None
                if other.x0 < segment.x1 and other.x1 > segment.x0:
                    return other
        return None

    def column_above(self, segment: Segment, within: int = 8) -> list[Segment]:
        """Segments above ``segment`` in its column (nearest first), up to ``within`` lines
        and stopping at a gap of more than three line heights."""
        found: list[Segment] = []
        last_top = segment.top
        for index in range(segment.line - 1, max(segment.line - 1 - within, -1), -1):
            for other in self.lines[index]:
                if other.page != segment.page:
                    return found
                if abs(other.x0 - segment.x0) < 4 * max(segment.height, 1.0) or (
                    other.x0 < segment.x1 and other.x1 > segment.x0
                ):
                    if last_top - other.bottom > 3 * max(segment.height, 1.0):
                        return found
                    found.append(other)
                    last_top = other.top
                    break
        return found


def _lines_of(words: Sequence[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            middle = (word.top + word.bottom) / 2
            if last[0].top - 1 <= middle <= last[0].bottom + 1:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def layout_from_pages(pages: Iterable[tuple[Sequence[Word], float]]) -> Layout:
    """A layout from each page's words and the page's height."""
    lines: list[tuple[Segment, ...]] = []
    for page, (words, page_height) in enumerate(pages):
        if not words:
            continue
        size = median(w.bottom - w.top for w in words)
        for line_words in _lines_of(words):
            groups: list[list[Word]] = [[line_words[0]]]
            for word in line_words[1:]:
                if word.x0 - groups[-1][-1].x1 > 1.5 * size:
                    groups.append([word])
                else:
                    groups[-1].append(word)
            lines.append(tuple(
                Segment(
                    text=" ".join(w.text for w in group), page=page, line=len(lines),
                    x0=group[0].x0, x1=group[-1].x1, top=min(w.top for w in group),
                    bottom=max(w.bottom for w in group), page_height=page_height,
                )
                for group in groups
            ))
    return Layout(tuple(lines))


_GAP = re.compile(r"\S+(?: \S+)*")


def layout_from_text(text: str) -> Layout:
    """A layout from plain text: one line per line, columns where two or more spaces are
    (a character is taken as 6 points wide and a line as 12 high)."""
    pages = []
    for page_text in text.split("\f"):
        rows = page_text.splitlines()
        words = [
            Word(match.group(0), 6.0 * match.start(), 6.0 * match.end(), 12.0 * row,
                 12.0 * row + 6)
            for row, line in enumerate(rows) for match in _GAP.finditer(line)
        ]
        pages.append((words, 12.0 * max(len(rows), 1)))
    return layout_from_pages(pages)
