"""The local outbox: the embedded default's outgoing mail, one .eml file per message.

Without ``LUCY_SMTP_RELAY`` nothing leaves the machine, but nothing is lost either: each
message is written whole (a temporary name, fsync, then an atomic link to its final
name) under ``$LUCY_DATA_DIR/outbox/``, where admins read it on the dashboard's Outbox
page, through the API, or with any mail program. The file name starts with the time and
ends with a hash of the Message-ID, so the listing sorts by time and a message sent
twice (the same Message-ID: a redelivery) is one file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from lucy_events.notifications.mailer import Mailer, PermanentMailError, TransientMailError

FIRM_HEADER = "X-Lucy-Firm"
_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{16}$")


@dataclass(frozen=True)
class OutboxEntry:
    message_id: str
    #: The file's stem: what the Outbox page and the API call the message.
    entry_id: str
    to: str
    subject: str
    sent_at: datetime
    firm_id: str | None


class Outbox(Mailer):
    kind = "outbox"

    def __init__(self, directory: Path, from_address: str = "lucy-events@localhost") -> None:
        self.directory = directory
        self.from_address = from_address

    def send(self, message: EmailMessage) -> str:
        message_id = str(message["Message-ID"] or "")
        if not message_id or not message["To"]:
            raise PermanentMailError("a message needs a Message-ID and a recipient")
        key = hashlib.sha256(message_id.encode()).hexdigest()[:16]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if any(self.directory.glob(f"*-{key}.eml")):
                return message_id  # the same message again: one file
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            final = self.directory / f"{stamp}-{key}.eml"
            temporary = self.directory / f".{stamp}-{key}.{os.getpid()}.tmp"
            with temporary.open("wb") as file:
                file.write(message.as_bytes(policy=policy.SMTP))
                file.flush()
                os.fsync(file.fileno())
            try:
                os.link(temporary, final)  # never replaces a file
            finally:
                temporary.unlink()
        except FileExistsError:
            return message_id
        except OSError as error:
            raise TransientMailError(f"the outbox could not be written: {error}") from error
        return message_id

    def entries(self, firm_id: str | None = None, limit: int = 200) -> list[OutboxEntry]:
        """The newest messages first; with ``firm_id`` only that firm's."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob("*.eml"), reverse=True):
            entry = self._entry(path)
            if firm_id is None or entry.firm_id == firm_id:
                found.append(entry)
            if len(found) >= limit:
                break
        return found

    def raw(self, entry_id: str) -> bytes | None:
        """The message as it would have gone over the wire, or None."""
        if not _NAME.match(entry_id):
            return None
        path = self.directory / f"{entry_id}.eml"
        return path.read_bytes() if path.is_file() else None

    def message(self, entry_id: str) -> EmailMessage | None:
        raw = self.raw(entry_id)
        if raw is None:
            return None
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def _entry(self, path: Path) -> OutboxEntry:
        with path.open("rb") as file:
            head = file.read(16384).split(b"\r\n\r\n", 1)[0]
        headers = message_from_bytes(head + b"\r\n\r\n", policy=policy.default)
        date = headers["Date"]
        return OutboxEntry(
            message_id=str(headers["Message-ID"] or ""), entry_id=path.stem,
            to=str(headers["To"] or ""), subject=str(headers["Subject"] or ""),
            sent_at=parsedate_to_datetime(str(date)) if date else datetime.fromtimestamp(
                path.stat().st_mtime, UTC),
            firm_id=str(headers[FIRM_HEADER]) if headers[FIRM_HEADER] else None,
        )
