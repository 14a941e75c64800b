"""Sending documents through the firm's Peppol access point: a small adapter interface and
one implementation for an access point provider's HTTP API.

The provider's API (``HttpAccessPoint``), with the firm's bearer token:

- ``POST <endpoint>/transmissions``: the Standard Business Document as the body
  (``application/xml``) and ``Idempotency-Key: <InstanceIdentifier>``; 201 (or 200)
  ``{"transmission_id", "status"}``; 409 with the same body when it already has that
  instance identifier (nothing is sent twice); 422 ``{"message"}`` when it refuses the
  document.
- ``GET <endpoint>/transmissions?instance_identifier=<id>``: 200 with the transmission
  if it has one under that id, 404 if not (asked before posting, so a crash between
  the provider accepting a document and us recording it never sends it twice).
- ``GET <endpoint>/transmissions/<transmission_id>``: 200 ``{"transmission_id",
  "status": "accepted" | "delivered" | "failed", "reason"}``.

Network errors, timeouts, 429 and 5xx are ``TransientDeliveryError`` (retried with the
router's delivery policy); a refused token or document is ``PermanentDeliveryError``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lucy_events.routers.integrations.base import (
    PermanentDeliveryError,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.transport import (
    HttpClient,
    Response,
    checked_url,
    status_error,
)

#: What a provider reports about a transmission (an open set: anything else is
#: "accepted", still on its way).
DELIVERED, FAILED, ACCEPTED = "delivered", "failed", "accepted"


@dataclass(frozen=True)
class Transmission:
    transmission_id: str
    status: str
    reason: str | None = None
    #: True when the access point already had the document (found, or a 409).
    existing: bool = False


class AccessPoint(ABC):
    """The firm's way onto the Peppol network."""

    @abstractmethod
    def submit(self, instance_identifier: str, document: bytes) -> Transmission:
        """Hand over a Standard Business Document, idempotently under its
        InstanceIdentifier."""

    @abstractmethod
    def find(self, instance_identifier: str) -> Transmission | None:
        """The transmission of that InstanceIdentifier, if the access point has one."""

    @abstractmethod
    def status(self, transmission_id: str) -> Transmission:
        """Where the transmission is: accepted, delivered or failed (with why)."""

    def submit_once(self, instance_identifier: str, document: bytes) -> Transmission:
        """Submit unless the access point already has the document."""
        found = self.find(instance_identifier)
        return found if found is not None else self.submit(instance_identifier, document)


class HttpAccessPoint(AccessPoint):
    def __init__(self, endpoint: str, token: str, *, http: HttpClient | None = None) -> None:
        self.endpoint = checked_url(endpoint, "Peppol access point").rstrip("/")
        self.token = token
        self.http = http or HttpClient(timeout=30.0)

    def submit(self, instance_identifier: str, document: bytes) -> Transmission:
        response = self._call("POST", "/transmissions", document, {
            "Content-Type": "application/xml", "Idempotency-Key": instance_identifier})
        if response.status in (200, 201, 202, 409):
            return _transmission(response, existing=response.status == 409)
        if response.status == 422:
            raise PermanentDeliveryError(
                f"the Peppol access point refused the document: {_message(response)}")
        raise status_error(response, "Peppol access point")

    def find(self, instance_identifier: str) -> Transmission | None:
        response = self._call(
            "GET", f"/transmissions?instance_identifier={quote(instance_identifier)}")
        if response.status == 404:
            return None
        if response.status == 200:
            return _transmission(response, existing=True)
        raise status_error(response, "Peppol access point lookup")

    def status(self, transmission_id: str) -> Transmission:
        response = self._call("GET", f"/transmissions/{quote(transmission_id, safe='')}")
        if response.status == 200:
            return _transmission(response, existing=True)
        raise status_error(response, "Peppol access point status")

    def _call(self, method: str, path: str, body: bytes | None = None,
              headers: dict[str, str] | None = None) -> Response:
        return self.http.request(method, self.endpoint + path, body=body, headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/json",
            **(headers or {})})


def _transmission(response: Response, *, existing: bool) -> Transmission:
    body: Any = response.json()
    if not isinstance(body, dict) or not body.get("transmission_id"):
        raise TransientDeliveryError(
            f"the Peppol access point answered HTTP {response.status} without a "
            "transmission_id")
    reason = body.get("reason")
    return Transmission(str(body["transmission_id"]), str(body.get("status") or ACCEPTED),
                        str(reason) if reason else None, existing)


def _message(response: Response) -> str:
    body = response.json()
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])[:300]
    return f"HTTP {response.status}"
