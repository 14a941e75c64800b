"""Spelling tolerance for the SQLite register search: words one edit apart share a
"deletion variant" (the word with one letter left out, or the word itself), so a typed
word's variants find the register's words it may have meant through one index lookup.

PostgreSQL needs none of this: pg_trgm compares trigrams inside the database.
"""

from __future__ import annotations

#: Shorter words are left alone: one edit away from too many others.
MIN_LENGTH = 4


def variants(word: str) -> set[str]:
    """The word and every form of it with one letter left out."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): insertions, deletions,
    substitutions and swaps of neighbours each count one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, candidates: set[str]) -> list[str]:
    """The candidates one edit from ``word`` (two for long words), nearest first."""
    allowed = 1 if len(word) < 8 else 2
    scored = sorted((edit_distance(word, c), c) for c in candidates if c != word)
    return [c for distance, c in scored if distance <= allowed]
