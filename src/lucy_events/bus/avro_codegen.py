"""What the quick Avro readers (``avro_reader``) and writers (``avro_writer``) share: a
function generated once per record schema of plain shape, its body built a statement a
line, then compiled."""

from __future__ import annotations

from typing import Any


class NotPlain(Exception):
    """The schema has a part the quick readers and writers do not handle."""


class SourceLines:
    """The body of a generated function, a statement a line, with fresh local names."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self._names = 0

    def _name(self) -> str:
        self._names += 1
        return f"v{self._names}"

    def add(self, depth: int, line: str) -> None:
        self.text.append("    " * depth + line)


def compiled(source: list[str], label: str, namespace: dict[str, Any], name: str) -> Any:
    """The function ``name`` that ``source`` defines, run in ``namespace``."""
    exec(compile("\n".join(source), label, "exec"), namespace)
    return namespace[name]
