"""Reading a KBO/BCE Open Data extract straight from its zip, one row at a time.

A full extract holds ``meta.csv``, ``code.csv`` and one ``<table>.csv`` per table; an
update extract holds ``<table>_delete.csv`` (the keys whose rows go) and
``<table>_insert.csv`` (the rows that come, whole). The files are comma-separated, quoted,
UTF-8 (sometimes with a byte-order mark); the largest (``activity.csv``, about 1.6 GB) is
never read whole: rows are decoded as the zip member is inflated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lucy_events.register.numbers import RegisterFileError, file_date

#: Called with the number of uncompressed bytes read since the last call.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExtractMeta:
    extract_number: int
    extract_type: str  # "full" or "update"
    snapshot_date: str | None  # ISO
    extract_timestamp: str
    version: str

    @property
    def is_full(self) -> bool:
        return self.extract_type == "full"


class _Counting(io.RawIOBase):
    """A zip member's stream that reports how much of it was read."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self.raw = raw
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        if self.progress is not None and data:
            self.progress(len(data))
        return len(data)


class Extract:
    """One extract zip; open it with ``with Extract(path) as extract``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (OSError, zipfile.BadZipFile) as error:
            raise RegisterFileError(f"{self.path}: not a readable zip ({error})") from None
        self._members = {Path(info.filename).name: info for info in self._zip.infolist()
                         if not info.is_dir()}
        self.meta = self._read_meta()

    def __enter__(self) -> Extract:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._members

    def size(self, name: str) -> int:
        """The member's uncompressed size in bytes (0 when absent)."""
        info = self._members.get(name)
        return info.file_size if info else 0

    def rows(self, name: str, progress: Progress | None = None) -> Iterator[dict[str, str]]:
        """The member's rows as ``{column: text}``, streamed."""
        info = self._members.get(name)
        if info is None:
            raise RegisterFileError(f"{self.path.name} has no {name}")
        with self._zip.open(info) as raw:
            stream = io.BufferedReader(_Counting(raw, progress), buffer_size=1 << 20)
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text)
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise RegisterFileError(
                        f"{name} line {reader.line_num}: expected the columns "
                        f"{', '.join(reader.fieldnames or [])}")
                yield row

    def _read_meta(self) -> ExtractMeta:
        if not self.has("meta.csv"):
            raise RegisterFileError(f"{self.path.name} has no meta.csv: not a KBO extract")
        values = {row["Variable"]: row["Value"] for row in self.rows("meta.csv")}
        try:
            number = int(values["ExtractNumber"])
            kind = values["ExtractType"].strip().lower()
        except (KeyError, ValueError):
            raise RegisterFileError(
                "meta.csv: needs the variables ExtractNumber and ExtractType") from None
        if kind not in ("full", "update"):
            raise RegisterFileError(f"meta.csv: ExtractType {kind!r} is neither full nor update")
        return ExtractMeta(
            extract_number=number, extract_type=kind,
            snapshot_date=file_date(values.get("SnapshotDate", ""), "meta.csv SnapshotDate"),
            extract_timestamp=values.get("ExtractTimestamp", ""),
            version=values.get("Version", ""),
        )
