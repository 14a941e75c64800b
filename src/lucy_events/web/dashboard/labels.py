"""How values read on the pages: dates, sizes, package and document type names, and the
colour class of each status badge."""

from __future__ import annotations

from datetime import date, datetime

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.web.dashboard import dashboard

_BADGES = {
    "Created": "neutral", "Invited": "info", "Active": "success",
    "Inbox": "info", "Sending": "progress", "Sent": "success", "Failed": "danger",
    "Rejected": "warning", "Archived": "neutral",
}


@dashboard.app_template_filter("when")
def when(value: datetime | None) -> str:
    """A moment in UTC, to the minute: the pages say UTC where it matters."""
    return f"{value:%d %b %Y %H:%M}" if value else ""


@dashboard.app_template_filter("day")
def day(value: date | datetime | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


@dashboard.app_template_filter("iso")
def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


@dashboard.app_template_filter("badge")
def badge(status: str | None) -> str:
    return _BADGES.get(status or "", "neutral")


@dashboard.app_template_filter("package_name")
def package_name(code: str | None) -> str:
    package = PACKAGES.get(code or "")
    return package.name if package else (code or "")


@dashboard.app_template_filter("document_type")
def document_type(code: str | None) -> str:
    return (code or "").replace("-", " ").capitalize()


@dashboard.app_template_filter("size")
def size(value: int | None) -> str:
    amount = int(value or 0)
    if amount < 1024:
        return f"{amount} B"
    if amount < 1024 * 1024:
        return f"{amount / 1024:.1f} KB"
    return f"{amount / 1024 / 1024:.1f} MB"


@dashboard.app_template_filter("sentence")
def sentence(value: object) -> str:
    """The first letter upper case, the rest as written (names, codes)."""
    words = str(value or "")
    return words[:1].upper() + words[1:]


@dashboard.app_template_global("page_window")
def page_window(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and a few around the current one;
    None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window
