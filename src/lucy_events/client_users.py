"""The client's own users: the contact person set up when they accept the invitation,
and the users an owner invites from the client portal.

What a user is (name, e-mail, role) and their password are credentials, kept beside the
staff tokens in the read-side database, never in the event store (it is nobody's
business history and must never reach Kafka). Passwords are hashed with argon2id. An
invited user has no password until they follow the link of their invitation e-mail
(``client_user_links``); until then they cannot sign in with one. Removing a user
deletes the row, which ends their sessions at once (``client_sessions`` finds a session
only while its user exists), and marks the sessions ended for the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lucy_events.aggregates.client_user_rules import OWNER, UserExists, valid_role
from lucy_events.aggregates.companies import required_text, valid_email
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.sqldb import Database, ensure_schema

MIN_PASSWORD = 10
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS lucy_client_users (
    user_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, firm_id TEXT NOT NULL,
    email TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (client_id, email))""",
    "CREATE INDEX IF NOT EXISTS lucy_client_users_email ON lucy_client_users (email)",
    """CREATE TABLE IF NOT EXISTS lucy_client_user_links (
    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, purpose TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS lucy_client_sessions (
    session_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, client_id TEXT NOT NULL,
    firm_id TEXT NOT NULL, created_at TEXT NOT NULL, ended_at TEXT, ended_why TEXT)""",
    "CREATE INDEX IF NOT EXISTS lucy_client_sessions_user ON lucy_client_sessions (user_id)",
)
_HASHER = PasswordHasher()
#: Stands for "no password yet" (an invited user): no argon2 hash ever equals it.
NO_PASSWORD = ""
_COLUMNS = "user_id, client_id, firm_id, email, first_name, last_name, role, created_at, " \
           "password_hash"


def ensure_tables(db: Database) -> None:
    ensure_schema(db, "lucy_client_users", SCHEMA)


@dataclass(frozen=True)
class ClientUser:
    user_id: UUID
    client_id: UUID
    firm_id: UUID
    email: str
    first_name: str
    last_name: str
    role: str
    created_at: str
    #: False for an invited user who has not chosen a password yet.
    has_password: bool = True

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER


def checked_password(password: str, repeated: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidValue("password", f"use at least {MIN_PASSWORD} characters")
    if password != repeated:
        raise InvalidValue("password_again", "the two passwords differ")
    return password


def _user(row: tuple[object, ...]) -> ClientUser:
    email, first, last, role, created = (str(v) for v in row[3:8])
    return ClientUser(UUID(str(row[0])), UUID(str(row[1])), UUID(str(row[2])), email, first,
                      last, role, created, has_password=row[8] != NO_PASSWORD)


class ClientUsers:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_tables(db)

    def add_owner(self, firm_id: UUID, client_id: UUID, *, email: str, first_name: str,
                  last_name: str, password: str) -> ClientUser:
        """The contact person as the client's first user (role owner); setting up again
        (the same e-mail) changes their name and password rather than adding a second."""
        user = ClientUser(
            uuid4(), client_id, firm_id, valid_email(email, "email"),
            required_text(first_name, "first_name"), required_text(last_name, "last_name"),
            OWNER, datetime.now(UTC).isoformat())
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
        found = self.by_email(client_id, user.email)
        assert found is not None
        return found

    def invite(self, firm_id: UUID, client_id: UUID, *, email: str, role: str,
               first_name: str = "", last_name: str = "") -> ClientUser:
        """A new user without a password (they choose one from their invitation)."""
        user = ClientUser(uuid4(), client_id, firm_id, valid_email(email, "email"),
                          first_name.strip(), last_name.strip(), valid_role(role),
                          datetime.now(UTC).isoformat(), has_password=False)
        if self.by_email(client_id, user.email) is not None:
            raise UserExists(f"{user.email} is already a user of the company")
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_client_users (user_id, client_id, firm_id, email, "
                "first_name, last_name, role, password_hash, created_at) VALUES (:id, "
                ":client, :firm, :email, :first, :last, :role, :hash, :at)",
                {"id": str(user.user_id), "client": str(client_id), "firm": str(firm_id),
                 "email": user.email, "first": user.first_name, "last": user.last_name,
                 "role": user.role, "hash": NO_PASSWORD, "at": user.created_at})
        return user

    def set_password(self, user_id: UUID, password: str, *, first_name: str | None = None,
                     last_name: str | None = None) -> None:
        names = {"first": first_name, "last": last_name}
        with self.db.transaction() as tx:
            tx.execute("UPDATE lucy_client_users SET password_hash = :hash, "
                       "first_name = COALESCE(:first, first_name), "
                       "last_name = COALESCE(:last, last_name) WHERE user_id = :id",
                       {"id": str(user_id), "hash": _HASHER.hash(password), **names})

    def remove(self, user_id: UUID, why: str) -> None:
        """The user is gone, and with them every session they had."""
        now = datetime.now(UTC).isoformat()
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM lucy_client_users WHERE user_id = :id", {"id": str(user_id)})
            tx.execute("UPDATE lucy_client_sessions SET ended_at = :now, ended_why = :why "
                       "WHERE user_id = :id AND ended_at IS NULL",
                       {"id": str(user_id), "now": now, "why": why})

    def of_client(self, client_id: UUID) -> list[ClientUser]:
        with self.db.transaction() as tx:
            rows = tx.execute(f"SELECT {_COLUMNS} FROM lucy_client_users WHERE client_id = "
                              ":client ORDER BY created_at", {"client": str(client_id)})
        return [_user(r) for r in rows]

    def find(self, user_id: UUID) -> ClientUser | None:
        with self.db.transaction() as tx:
            rows = tx.execute(f"SELECT {_COLUMNS} FROM lucy_client_users WHERE user_id = :id",
                              {"id": str(user_id)})
        return _user(rows[0]) if rows else None

    def by_email(self, client_id: UUID, email: str) -> ClientUser | None:
        with self.db.transaction() as tx:
            rows = tx.execute(f"SELECT {_COLUMNS} FROM lucy_client_users WHERE client_id = "
                              ":client AND email = :email",
                              {"client": str(client_id), "email": email.strip().lower()})
        return _user(rows[0]) if rows else None

    def with_email(self, email: str) -> list[ClientUser]:
        """Every user with the address, the oldest first (one person may use the portal
        of more than one company)."""
        with self.db.transaction() as tx:
            rows = tx.execute(f"SELECT {_COLUMNS} FROM lucy_client_users WHERE email = :email "
                              "ORDER BY created_at", {"email": email.strip().lower()})
        return [_user(r) for r in rows]

    def verify(self, client_id: UUID, email: str, password: str) -> ClientUser | None:
        """The user when the password is theirs."""
        user = self.by_email(client_id, email)
        return user if user is not None and self._matches(user, password) else None

    def sign_in(self, email: str, password: str) -> ClientUser | None:
        """The first user with the address whose password this is; None otherwise."""
        return next((u for u in self.with_email(email) if self._matches(u, password)), None)

    def _matches(self, user: ClientUser, password: str) -> bool:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT password_hash FROM lucy_client_users WHERE user_id = :id",
                              {"id": str(user.user_id)})
        if not rows or rows[0][0] == NO_PASSWORD:
            return False
        try:
            return bool(_HASHER.verify(rows[0][0], password))
        except (VerificationError, InvalidHashError):
            return False
