"""The firm's Peppol access point for sending, set up by its admins: the provider's API
endpoint (read-side table ``peppol_sending``, a firm setting like its SMP host) and its
bearer token (in the encrypted secret store under ``peppol-access-point:<firm id>``, never
in a table or an event).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from uuid import UUID

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.peppol.access_point import AccessPoint
from lucy_events.routers.integrations.base import PermanentDeliveryError
from lucy_events.routers.integrations.credentials import SecretMissing, SecretStore
from lucy_events.routers.integrations.transport import checked_url
from lucy_events.sqldb import Database, ensure_schema

SCHEMA = """CREATE TABLE IF NOT EXISTS peppol_sending (
    firm_id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, updated_at TEXT NOT NULL)"""


def secret_ref(firm_id: UUID) -> str:
    return f"peppol-access-point:{firm_id}"


@dataclass(frozen=True)
class SendingSetup:
    """What admins see: the endpoint and whether a token is stored (never the token)."""

    endpoint: str | None
    has_token: bool

    def as_dict(self) -> dict[str, object]:
        return {"endpoint": self.endpoint, "has_token": self.has_token}


class PeppolSending:
    def __init__(self, db: Database, secrets: SecretStore,
                 build: Callable[[str, str], AccessPoint]) -> None:
        self.db, self.secrets, self.build = db, secrets, build
        ensure_schema(db, "peppol_sending", [SCHEMA])

    def setup(self, firm_id: UUID) -> SendingSetup:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT endpoint FROM peppol_sending WHERE firm_id = :f",
                              {"f": str(firm_id)})
        return SendingSetup(str(rows[0][0]) if rows else None, self._token(firm_id) is not None)

    def configure(self, firm_id: UUID, endpoint: str, token: str | None) -> SendingSetup:
        """Save the endpoint, and the token when one is given (an empty token keeps the
        stored one, so the endpoint can change without typing the token again)."""
        endpoint = (endpoint or "").strip()
        try:
            checked_url(endpoint, "the access point's")
        except PermanentDeliveryError as error:
            raise InvalidValue("endpoint", error.reason) from None
        if not urlsplit(endpoint).hostname:
            raise InvalidValue("endpoint", "give the API's URL, e.g. https://ap.example/api")
        token = (token or "").strip()
        if not token and self._token(firm_id) is None:
            raise InvalidValue("token", "is required the first time")
        if token:
            self.secrets.put(secret_ref(firm_id), {"token": token})
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO peppol_sending (firm_id, endpoint, updated_at) VALUES "
                "(:f, :e, :at) ON CONFLICT (firm_id) DO UPDATE SET endpoint = :e, "
                "updated_at = :at", {"f": str(firm_id), "e": endpoint.rstrip("/"),
                                     "at": datetime.now(UTC).isoformat()})
        return self.setup(firm_id)

    def access_point(self, firm_id: UUID) -> AccessPoint | None:
        """The firm's access point, or None when its admins have not set one up."""
        setup = self.setup(firm_id)
        token = self._token(firm_id)
        if setup.endpoint is None or token is None:
            return None
        return self.build(setup.endpoint, token)

    def _token(self, firm_id: UUID) -> str | None:
        try:
            return self.secrets.get(secret_ref(firm_id)).get("token") or None
        except SecretMissing:
            return None
