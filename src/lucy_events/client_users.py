"""The client's own users: set up by the contact person when they accept the invitation.

What a user is (name, e-mail) is confirmed on the activation page; their password is a
credential, hashed with argon2id and kept beside the staff tokens in the read-side
database, never in the event store (it is nobody's business history and must never
reach Kafka). The client portal will sign users in against these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from lucy_events.aggregates.companies import required_text, valid_email
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.sqldb import Database

MIN_PASSWORD = 10
SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_client_users (
    user_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, firm_id TEXT NOT NULL,
    email TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (client_id, email))"""
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class ClientUser:
    user_id: UUID
    client_id: UUID
    email: str
    first_name: str
    last_name: str
    role: str
    created_at: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def checked_password(password: str, repeated: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidValue("password", f"use at least {MIN_PASSWORD} characters")
    if password != repeated:
        raise InvalidValue("password_again", "the two passwords differ")
    return password


class ClientUsers:
    def __init__(self, db: Database) -> None:
        self.db = db
        with db.transaction() as tx:
            tx.execute(SCHEMA)

    def add_owner(self, firm_id: UUID, client_id: UUID, *, email: str, first_name: str,
                  last_name: str, password: str) -> ClientUser:
        """The contact person as the client's first user (role owner); setting up again
        (the same e-mail) changes their name and password rather than adding a second."""
        user = ClientUser(
            uuid4(), client_id, valid_email(email, "email"),
            required_text(first_name, "first_name"), required_text(last_name, "last_name"),
            "owner", datetime.now(UTC).isoformat())
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_client_users (user_id, client_id, firm_id, email, "
                "first_name, last_name, role, password_hash, created_at) VALUES (:id, "
                ":client, :firm, :email, :first, :last, :role, :hash, :at) "
                "ON CONFLICT (client_id, email) DO UPDATE SET first_name = :first, "
                "last_name = :last, password_hash = :hash",
                {"id": str(user.user_id), "client": str(client_id), "firm": str(firm_id),
                 "email": user.email, "first": user.first_name, "last": user.last_name,
                 "role": user.role, "hash": _HASHER.hash(password), "at": user.created_at})
        return user

    def of_client(self, client_id: UUID) -> list[ClientUser]:
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT user_id, client_id, email, first_name, last_name, role, created_at "
                "FROM lucy_client_users WHERE client_id = :client ORDER BY created_at",
                {"client": str(client_id)})
        return [ClientUser(UUID(r[0]), UUID(r[1]), *r[2:]) for r in rows]

    def verify(self, client_id: UUID, email: str, password: str) -> ClientUser | None:
        """The user when the password is theirs (for the client portal's sign-in)."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT password_hash FROM lucy_client_users WHERE client_id = :client "
                "AND email = :email", {"client": str(client_id), "email": email.lower()})
        if not rows:
            return None
        try:
            _HASHER.verify(rows[0][0], password)
        except VerificationError:
            return None
        return next(u for u in self.of_client(client_id) if u.email == email.lower())
