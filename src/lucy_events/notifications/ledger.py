"""Which of the service's own e-mails went out, keyed, so each goes out once: one
invitation e-mail per invitation, one reminder per expiring invitation, even when the
scheduler runs twice at once or a command is repeated.

A key is claimed before sending (the insert that wins is the one that sends) and
released when the send failed, so the next attempt may claim it again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lucy_events.sqldb import Database, create_table_once

SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_sent_mail (
    mail_key TEXT PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL,
    message_id TEXT NOT NULL, sent_at TEXT NOT NULL)"""


class SentMail:
    def __init__(self, db: Database) -> None:
        self.db = db
        create_table_once(db, SCHEMA)

    def claim(self, key: str, recipient: str, subject: str, message_id: str) -> bool:
        """True when this caller is the one to send the message with ``key``."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "INSERT INTO lucy_sent_mail (mail_key, recipient, subject, message_id, "
                "sent_at) VALUES (:key, :to, :subject, :mid, :at) "
                "ON CONFLICT (mail_key) DO NOTHING RETURNING mail_key",
                {"key": key, "to": recipient, "subject": subject, "mid": message_id,
                 "at": datetime.now(UTC).isoformat()})
        return bool(rows)

    def release(self, key: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM lucy_sent_mail WHERE mail_key = :key", {"key": key})

    def was_sent(self, key: str) -> bool:
        with self.db.transaction() as tx:
            return bool(tx.execute(
                "SELECT 1 FROM lucy_sent_mail WHERE mail_key = :key", {"key": key}))
