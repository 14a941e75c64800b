"""A client's history over a period as a file an auditor keeps: CSV, JSON or a printable
HTML page. Each states the hash-chain head it was taken at (``lucy-events audit verify``
can later show that the store still holds what the export shows). No PDF: print the HTML
page to PDF from a browser; the project carries no PDF renderer for HTML."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from jinja2 import Environment
from markupsafe import Markup, escape

from lucy_events.application import HistoryEntry
from lucy_events.audit.links import Checkpoint
from lucy_events.audit.records import entry_record
from lucy_events.gc_pause import collector_paused

FORMATS = ("csv", "json", "html")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "html": "text/html; charset=utf-8"}
_COLUMNS = ("at", "who", "actor", "subject", "subject_id", "file_name", "event", "changes",
            "details")


@dataclass(frozen=True)
class ExportHeading:
    client_id: str
    client_name: str
    period_from: datetime | None
    period_to: datetime | None
    head: Checkpoint | None
    taken_at: datetime

    def fields(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id, "client_name": self.client_name,
            "from": self.period_from.isoformat() if self.period_from else None,
            "to": self.period_to.isoformat() if self.period_to else None,
            "chain_head": str(self.head) if self.head else None,
            "taken_at": self.taken_at.isoformat(),
        }


def heading(client_id: Any, client_name: str, period_from: datetime | None,
            period_to: datetime | None, head: Checkpoint | None) -> ExportHeading:
    return ExportHeading(str(client_id), client_name, period_from, period_to, head,
                         datetime.now(UTC))


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _changes(record: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {_json(v['before'])} -> {_json(v['after'])}"
                     for k, v in record["changes"].items())


def to_csv(top: ExportHeading, entries: Sequence[HistoryEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for key, value in top.fields().items():
        writer.writerow([f"# {key}", value or ""])
    writer.writerow(_COLUMNS)
    for entry in entries:
        record = entry_record(entry)
        writer.writerow([record["at"], record["who"], record["actor"], record["subject"],
                         record["subject_id"], record["file_name"] or "", record["event"],
                         _changes(record), _json(record["details"])])
    return out.getvalue()


def to_json(top: ExportHeading, entries: Sequence[HistoryEntry]) -> str:
    document = {**top.fields(), "entries": [entry_record(e) for e in entries]}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()


_PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>History of {{ top.client_name }}</title>
<style>body{font:11pt/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;
width:100%}th,td{border-bottom:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}
code{font-size:9pt;word-break:break-all}@media print{body{margin:0}tr{break-inside:avoid}}
</style></head><body>
<h1>History of {{ top.client_name }}</h1>
<dl><dt>Client</dt><dd>{{ top.client_id }}</dd>
<dt>Period</dt><dd>{{ f.from or "the beginning" }} to {{ f.to or "the export" }}</dd>
<dt>Taken at</dt><dd>{{ f.taken_at }}</dd>
<dt>Hash-chain head</dt>
<dd><code>{{ f.chain_head or "none (this store keeps no chain)" }}</code></dd>
<dt>Entries</dt><dd>{{ count }}</dd></dl>
<table><thead><tr><th>When</th><th>Who</th><th>About</th><th>What</th><th>Changed</th></tr>
</thead><tbody>{{ rows }}</tbody></table></body></html>
""")


def _row(record: dict[str, Any]) -> str:
    changed = "<br>".join(
        f"{escape(k)}: {escape(_shown(v['before']))} → {escape(_shown(v['after']))}"
        for k, v in record["changes"].items())
    return (f"<tr><td><time>{record['at']}</time></td><td>{escape(record['who'])}</td>"
            f"<td>{escape(record['file_name'] or record['label'] or record['subject'])}</td>"
            f"<td>{escape(record['event'])}</td><td>{changed}</td></tr>\n")


def _shown(value: Any) -> str:
    return "(none)" if value is None else value if isinstance(value, str) else _json(value)


def to_html(top: ExportHeading, entries: Sequence[HistoryEntry]) -> str:
    """The rows are built here, not in the template: 50,000 rows through Jinja's loop
    take several times longer; every value is escaped all the same."""
    rows = Markup("".join(_row(entry_record(e)) for e in entries))
    return _PAGE.render(top=top, f=top.fields(), count=len(entries), rows=rows)


def export(fmt: str, top: ExportHeading, entries: Sequence[HistoryEntry]) -> str:
    """``fmt``: one of ``FORMATS`` (checked by the caller's input schema)."""
    with collector_paused():
        return {"csv": to_csv, "json": to_json, "html": to_html}[fmt](top, entries)
