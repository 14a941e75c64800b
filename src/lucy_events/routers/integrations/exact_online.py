"""Delivery to Exact Online's document archive over its REST API.

A document becomes an Exact ``Document`` (its Subject starts with the delivery key, so
it can be found again) with the file as its ``DocumentAttachment``. Calls are rate
limited per division: ours (60 a minute by default) and Exact's own
``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import structlog

from lucy_events.routers.integrations.base import (
    Delivered,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.credentials import SecretStore
from lucy_events.routers.integrations.oauth import OAuthTokens
from lucy_events.routers.integrations.payload import payload_of
from lucy_events.routers.integrations.rate_limit import RateLimiter
from lucy_events.routers.integrations.transport import (
    HttpClient,
    Response,
    checked_url,
    status_error,
)

log = structlog.get_logger()

#: Each region's address, by package; the portal's ``base_url`` setting overrides it.
BASE_URLS = {"exact-online-api": "https://start.exactonline.be",
             "exact-online-nl-api": "https://start.exactonline.nl"}
#: Exact's document type codes (``documents/DocumentTypes``): 10 sales invoice and 20
#: purchase invoice; 40 (bank statement) and 55 (miscellaneous) should be checked
#: against the division's own list. The portal overrides any of them with a setting
#: ``document_type.<lucy type>``, e.g. ``document_type.bank-statement = 40``.
DOCUMENT_TYPES = {
    "purchase-invoice": 20, "purchase-credit-note": 20, "receipt": 20,
    "sales-invoice": 10, "sales-credit-note": 10, "bank-statement": 40, "other": 55,
}
SUBJECT_LENGTH = 100


class ExactOnline(Integration):
    def __init__(
        self, secrets: SecretStore, *, http: HttpClient | None = None,
        limiter: RateLimiter | None = None, max_wait: float = 10.0,
        clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http or HttpClient()
        self.limiter = limiter or RateLimiter(60, 60.0, max_wait=max_wait, clock=clock,
                                              sleep=sleep)
        self.tokens = OAuthTokens(secrets, self.http, name="Exact Online", clock=clock)
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        subject = subject_of(outgoing)
        document = self._find_document(target, subject)
        if document is None:
            created = self._call(target, "POST", "documents/Documents", body={
                "Subject": subject,
                "Type": document_type_code(outgoing.document_type, target),
                "DocumentDate": f"{outgoing.received_at:%Y-%m-%d}",
            })
            document = _guid(_d(created).get("ID"))
        elif self._has_attachment(target, document):
            return Delivered(document)
        payload = payload_of(outgoing)
        self._call(target, "POST", "documents/DocumentAttachments", body={
            "Document": document, "FileName": payload.file_name,
            "Attachment": base64.b64encode(payload.content).decode("ascii"),
        })
        log.info("document delivered", package=target.package,
                 document_id=str(outgoing.document_id), remote_reference=document)
        return Delivered(document)

    def check_connection(self, target: Target) -> str:
        """Who the firm's connection acts as (``current/Me``), with an access token from
        the stored refresh token (it rotates as in a delivery, and is saved)."""
        me = self._call(target, "GET", "Me",
                        query="$select=CurrentDivision,FullName", account="current")
        users = _d(me).get("results") or []
        if not users or not isinstance(users[0], dict):
            raise PermanentDeliveryError("Exact Online answered current/Me without a user")
        return (f"connected as {users[0].get('FullName') or 'an unnamed user'}, current "
                f"division {users[0].get('CurrentDivision')}")

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        """The Exact document under this delivery key, if it has its file attached (one
        without is what a crash between the two POSTs leaves; ``deliver`` completes it)."""
        document = self._find_document(target, subject_of(outgoing))
        if document is not None and self._has_attachment(target, document):
            return document
        return None

    def _find_document(self, target: Target, subject: str) -> str | None:
        escaped = subject.replace("'", "''")
        found = self._call(target, "GET", "documents/Documents",
                           query=_select_id(f"Subject eq '{escaped}'"))
        results = _d(found).get("results") or []
        return _guid(results[0].get("ID")) if results else None

    def _has_attachment(self, target: Target, document: str) -> bool:
        found = self._call(target, "GET", "documents/DocumentAttachments",
                           query=_select_id(f"Document eq guid'{document}'"))
        return bool(_d(found).get("results"))

    def _call(self, target: Target, method: str, path: str, *,
              body: dict[str, Any] | None = None, query: str = "",
              account: str | None = None) -> dict[str, Any]:
        """``path`` under the client's division, or under ``account`` (``current``)."""
        base_url = base_url_of(target.package, target.portal_settings)
        division = account or division_of(target)
        url = f"{base_url}/api/v1/{division}/{path}{'?' + query if query else ''}"
        token_url = token_url_of(base_url)
        key = f"{base_url}/{division}"
        token = self.tokens.access_token(target.credentials_ref, token_url)
        renewed = waited = False
        while True:
            self.limiter.acquire(key)
            response = self.http.request(
                method, url, body=json.dumps(body).encode() if body is not None else None,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                         "Content-Type": "application/json"},
            )
            self._observe(key, response)
            if response.status == 401 and not renewed:
                token = self.tokens.renew(target.credentials_ref, token_url, token)
                renewed = True
            elif response.status == 429 and not waited:
                wait = self._reset_in(response)
                if wait > self.max_wait:
                    raise TransientDeliveryError("Exact Online rate limit reached",
                                                 retry_after=round(wait, 3))
                log.warning("exact online rate limit; waiting", division=division, wait=wait)
                self.sleep(wait)
                waited = True
            else:
                return self._answer(response, method, path)

    def _answer(self, response: Response, method: str, path: str) -> dict[str, Any]:
        what = f"Exact Online {method} {path}"
        if 200 <= response.status < 300:
            answer = response.json()
            return answer if isinstance(answer, dict) else {}
        if response.status == 401:
            raise PermanentDeliveryError(
                f"{what}: access refused after a token refresh; access was revoked")
        if response.status == 429:
            raise TransientDeliveryError(f"{what}: rate limited",
                                         retry_after=round(self._reset_in(response), 3))
        if response.status == 400 and method == "POST":
            raise RejectedByPackage(f"{what}: {_exact_message(response)}")
        raise status_error(response, what)

    def _observe(self, key: str, response: Response) -> None:
        for prefix in ("X-RateLimit-Minutely-", "X-RateLimit-"):
            remaining = response.header_float(f"{prefix}Remaining")
            reset_ms = response.header_float(f"{prefix}Reset")
            if remaining is not None and remaining <= 0 and reset_ms is not None:
                self.limiter.closed_until(key, reset_ms / 1000)

    def _reset_in(self, response: Response) -> float:
        reset_ms = response.header_float("X-RateLimit-Minutely-Reset")
        if reset_ms is not None:
            return max(0.0, reset_ms / 1000 - self.clock())
        return response.header_float("Retry-After") or 60.0


def subject_of(outgoing: Outgoing) -> str:
    """Deterministic for a document, so ``Subject eq`` finds it again."""
    return f"{outgoing.delivery_key} {outgoing.file_name}"[:SUBJECT_LENGTH].rstrip()


def base_url_of(package: str, portal_settings: dict[str, str]) -> str:
    """The firm's Exact address: its own setting, else the package's region's."""
    url = portal_settings.get("base_url") or BASE_URLS.get(package) or ""
    if not url:
        raise PermanentDeliveryError(f"{package} has no Exact Online address (base_url)")
    return checked_url(url, "Exact Online").rstrip("/")


def token_url_of(base_url: str) -> str:
    return f"{base_url}/api/oauth2/token"


def authorize_url_of(base_url: str) -> str:
    """Where an admin gives consent (Exact's OAuth2 authorization endpoint)."""
    return f"{base_url}/api/oauth2/auth"


def division_of(target: Target) -> str:
    """The client's administration (its Exact division), else the portal's division."""
    division = (target.client_settings.get("administration")
                or target.portal_settings.get("division") or "").strip()
    if not division.isdigit():
        raise PermanentDeliveryError(
            "Exact Online needs the client's division (settings.administration) as a number")
    return division


def document_type_code(document_type: str, target: Target) -> int:
    configured = target.portal_settings.get(f"document_type.{document_type}")
    try:
        return int(configured) if configured else DOCUMENT_TYPES.get(document_type, 55)
    except ValueError:
        raise PermanentDeliveryError(
            f"Exact Online setting document_type.{document_type} is not a number") from None


def _select_id(condition: str) -> str:
    return f"$filter={quote(condition, safe='')}&$select=ID"


def _d(answer: dict[str, Any]) -> dict[str, Any]:
    """The payload of an OData v2 answer, ``{"d": {...}}``."""
    payload = answer.get("d")
    return payload if isinstance(payload, dict) else {}


def _guid(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise TransientDeliveryError(f"Exact Online answered an invalid ID {value!r}") from None


def _exact_message(response: Response) -> str:
    answer = response.json()
    try:
        message = answer["error"]["message"]
        text = message["value"] if isinstance(message, dict) else message
    except (KeyError, TypeError):
        text = f"HTTP {response.status}"
    return str(text)[:300]
