"""Delivery to any other package through a signed webhook the firm (or the package's
connector) runs: one JSON POST per document, carrying the file in base64.

Every request is signed: ``X-Lucy-Signature: sha256=<hex HMAC-SHA256 of the raw body>``
with the shared secret, plus ``X-Lucy-Timestamp`` and ``Idempotency-Key`` (the delivery
key). The receiver answers 2xx (optionally ``{"reference": ...}``), 409 when it already
has the document, 422 when it refuses the document itself.

Lookups go to ``lookup_url`` (default ``<url>/lookup``) as a signed POST of
``{"delivery_key": ...}``: 200 (with a reference) if the receiver has the document,
404 if not; a receiver without lookups (404, 405, 501) relies on the Idempotency-Key.
"Test connection" is such a lookup for a key no document has: the receiver must accept
the signature (a 401 or 403 means the shared secret differs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import structlog

from lucy_events.routers.integrations.base import (
    Delivered,
    Integration,
    Outgoing,
    RejectedByPackage,
    Target,
    setting,
)
from lucy_events.routers.integrations.credentials import SecretStore
from lucy_events.routers.integrations.payload import payload_of
from lucy_events.routers.integrations.transport import (
    HttpClient,
    Response,
    checked_url,
    status_error,
)

log = structlog.get_logger()
#: The delivery key "Test connection" looks up: no document ever has it.
CHECK_KEY = "lucy-connection-check"


class Webhook(Integration):
    def __init__(
        self, secrets: SecretStore, *, http: HttpClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secrets = secrets
        self.http = http or HttpClient()
        self.clock = clock

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        url = checked_url(setting(target.portal_settings, "url", "webhook portal"), "webhook")
        response = self._post(url, document_json(outgoing), outgoing.delivery_key, target)
        if 200 <= response.status < 300 or response.status == 409:
            reference = _reference(response) or outgoing.delivery_key
            log.info("document delivered", package=target.package,
                     document_id=str(outgoing.document_id), remote_reference=reference,
                     already_there=response.status == 409)
            return Delivered(reference)
        if response.status == 422:
            raise RejectedByPackage(f"webhook refused the document: {_message(response)}")
        raise status_error(response, "webhook")

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        response = self._lookup(outgoing.delivery_key, target)
        if response.status == 200:
            return _reference(response) or outgoing.delivery_key
        if response.status in (404, 405, 501):
            return None
        raise status_error(response, "webhook lookup")

    def check_connection(self, target: Target) -> str:
        """A signed lookup of a key no document has: the receiver is there and takes
        the firm's signature (delivering nothing)."""
        response = self._lookup(CHECK_KEY, target)
        if response.status in (200, 404, 405, 501):
            return (f"the receiver accepted a signed request (lookup answered HTTP "
                    f"{response.status})")
        raise status_error(response, "webhook lookup")

    def _lookup(self, delivery_key: str, target: Target) -> Response:
        portal = target.portal_settings
        url = portal.get("lookup_url") or (
            setting(portal, "url", "webhook portal").rstrip("/") + "/lookup")
        return self._post(checked_url(url, "webhook lookup"),
                          {"delivery_key": delivery_key}, delivery_key, target)

    def _post(self, url: str, document: dict[str, Any], delivery_key: str,
              target: Target) -> Response:
        secret = self.secrets.value(target.credentials_ref, "secret")
        body = json.dumps(document, separators=(",", ":")).encode()
        return self.http.request("POST", url, body=body, headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": "lucy-events",
            "X-Lucy-Signature": f"sha256={sign(secret, body)}",
            "X-Lucy-Timestamp": f"{self.clock():.0f}",
            "Idempotency-Key": delivery_key,
        })


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def document_json(outgoing: Outgoing) -> dict[str, Any]:
    payload = payload_of(outgoing)
    return {
        "delivery_key": outgoing.delivery_key,
        "document_id": str(outgoing.document_id),
        "client_id": str(outgoing.client_id),
        "firm_id": str(outgoing.firm_id),
        "client": {
            "name": outgoing.client_name,
            "vat": outgoing.client_vat,
            "enterprise_number": outgoing.client_enterprise_number,
        },
        "document_type": outgoing.document_type,
        "received_at": outgoing.received_at.isoformat(),
        "format": "ubl" if outgoing.ubl is not None else "original",
        "file_name": payload.file_name,
        "media_type": payload.media_type,
        "content_base64": base64.b64encode(payload.content).decode("ascii"),
    }


def _reference(response: Response) -> str | None:
    answer = response.json()
    reference = answer.get("reference") if isinstance(answer, dict) else None
    return str(reference) if reference else None


def _message(response: Response) -> str:
    answer = response.json()
    if isinstance(answer, dict):
        for key in ("message", "error", "detail"):
            if answer.get(key):
                return str(answer[key])[:300]
    return f"HTTP {response.status}"
