"""Delivery to Yuki's document archive over its SOAP web service (``Archive.asmx``):
``Authenticate(accessKey)`` gives a session, ``UploadDocument`` files the document in
one of the administration's archive folders."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable

import structlog

from lucy_events.routers.integrations.base import (
    Delivered,
    DeliveryError,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.credentials import SecretStore
from lucy_events.routers.integrations.payload import payload_of, remote_file_name
from lucy_events.routers.integrations.soap import SoapFault, envelope, parse
from lucy_events.routers.integrations.transport import HttpClient, checked_url, status_error

log = structlog.get_logger()

DEFAULT_URL = "https://api.yukiworks.be/ws/Archive.asmx"
NAMESPACE = "http://www.theyukicompany.com/"
#: Yuki's archive folders: 1 purchase, 2 sales, 3 bank, 8 other financial.
FOLDERS = {"sales-invoice": 2, "sales-credit-note": 2, "bank-statement": 3, "other": 8}
PURCHASE_FOLDER = 1
#: Yuki keeps a session for 24 hours; we renew well before.
SESSION_TTL = 3600.0
_TRANSIENT = ("limit", "timeout", "time-out", "unavailable", "try again", "busy")
_PERMANENT = ("access key", "accesskey", "authenticat", "authoriz", "rights", "inactive",
              "administration", "bundle", "functionality", "permission")
_REJECTED = ("file", "document", "duplicate", "extension", "size", "format", "base64")


class Yuki(Integration):
    def __init__(
        self, secrets: SecretStore, *, http: HttpClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.secrets = secrets
        self.http = http or HttpClient()
        self.clock = clock
        self._sessions: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        url = checked_url(target.portal_settings.get("base_url") or DEFAULT_URL, "Yuki")
        administration = (target.client_settings.get("administration")
                          or target.portal_settings.get("administration") or "").strip()
        if not administration:
            raise PermanentDeliveryError(
                "Yuki needs the client's administration ID (settings.administration)")
        payload = payload_of(outgoing)
        arguments = {
            "fileName": remote_file_name(outgoing),
            "data": base64.b64encode(payload.content).decode("ascii"),
            "folder": str(FOLDERS.get(outgoing.document_type, PURCHASE_FOLDER)),
            "administrationID": administration,
        }
        reference = self._upload(url, target, arguments)
        if not reference:
            raise RejectedByPackage("Yuki accepted the upload but returned no document ID")
        log.info("document delivered", package=target.package,
                 document_id=str(outgoing.document_id), remote_reference=reference)
        return Delivered(reference)

    def check_connection(self, target: Target) -> str:
        """Authenticate with the firm's access key now (not a remembered session)."""
        url = checked_url(target.portal_settings.get("base_url") or DEFAULT_URL, "Yuki")
        self._forget(url, target)
        self._session(url, target)
        return "the access key was accepted"

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        """Always None: Yuki's upload service offers no lookup by our key. The document
        is uploaded under a name that starts with its delivery key, so a duplicate left
        by a crash is recognisable in the archive."""
        return None

    def _upload(self, url: str, target: Target, arguments: dict[str, str]) -> str:
        session = self._session(url, target)
        try:
            return self._call(url, "UploadDocument", {"sessionID": session, **arguments})
        except SessionExpired:
            # Yuki forgot the session before we did: authenticate again, once.
            self._forget(url, target)
            session = self._session(url, target)
            return self._call(url, "UploadDocument", {"sessionID": session, **arguments})

    def _session(self, url: str, target: Target) -> str:
        key = (url, target.credentials_ref or "")
        with self._lock:
            cached = self._sessions.get(key)
        if cached and self.clock() - cached[1] < SESSION_TTL:
            return cached[0]
        access_key = self.secrets.value(target.credentials_ref, "access_key")
        session = self._call(url, "Authenticate", {"accessKey": access_key})
        if not session:
            raise PermanentDeliveryError("Yuki refused the access key")
        with self._lock:
            self._sessions[key] = (session, self.clock())
        return session

    def _forget(self, url: str, target: Target) -> None:
        with self._lock:
            self._sessions.pop((url, target.credentials_ref or ""), None)

    def _call(self, url: str, operation: str, arguments: dict[str, str]) -> str:
        response = self.http.request(
            "POST", url, body=envelope(NAMESPACE, operation, arguments),
            headers={"Content-Type": "text/xml; charset=utf-8",
                     "SOAPAction": f'"{NAMESPACE}{operation}"'},
        )
        answer = parse(response.body, NAMESPACE, operation)
        if isinstance(answer, SoapFault):
            raise fault_error(operation, answer)
        if response.status != 200:
            raise status_error(response, f"Yuki {operation}")
        if answer is None:
            raise TransientDeliveryError(f"Yuki {operation}: unreadable answer")
        return answer


class SessionExpired(TransientDeliveryError):
    """Raised when Yuki no longer knows the session it gave us."""


def fault_error(operation: str, fault: SoapFault) -> DeliveryError:
    """Yuki says what went wrong in words only (ASMX wraps every error as a fault): a
    spent daily call limit or a busy server passes, refused access or a wrong
    administration needs someone, a refused file is the document's problem; anything
    else is retried, within the router's retry policy."""
    reason = f"Yuki {operation} fault: {fault.message[:300] or fault.code}"
    text = fault.message.lower()
    if "session" in text:
        return SessionExpired(reason)
    if any(word in text for word in _TRANSIENT):
        return TransientDeliveryError(reason)
    if any(word in text for word in _PERMANENT):
        return PermanentDeliveryError(reason)
    if any(word in text for word in _REJECTED):
        return RejectedByPackage(reason)
    return TransientDeliveryError(reason)
