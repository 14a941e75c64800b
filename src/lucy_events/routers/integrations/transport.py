"""HTTP requests for the API adapters (standard library only), with every way a request
can fail to get an answer turned into a delivery error.

Any answer, whatever its status, comes back as a ``Response``: what a status means is
each adapter's business, with ``status_error`` as the common default.
"""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from lucy_events.routers.integrations.base import (
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
)


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    body: bytes = field(repr=False)

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def header_float(self, name: str) -> float | None:
        try:
            return float(self.headers.get(name, ""))
        except ValueError:
            return None


class HttpClient:
    def __init__(self, *, timeout: float = 30.0, ssl_context: ssl.SSLContext | None = None):
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ssl_context or ssl.create_default_context())
        )

    def request(
        self, method: str, url: str, *, body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        host = urlsplit(url).netloc
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, error.headers, error.read())
        except urllib.error.URLError as error:
            raise _unreachable(host, error.reason) from error
        except (OSError, http.client.HTTPException) as error:
            raise _unreachable(host, error) from error


def _unreachable(host: str, reason: object) -> DeliveryError:
    if isinstance(reason, ssl.SSLCertVerificationError):
        # A certificate that does not verify will not start verifying by itself.
        return PermanentDeliveryError(f"{host}: TLS certificate rejected ({reason})")
    if isinstance(reason, ssl.SSLError | TimeoutError):
        return TransientDeliveryError(f"{host}: {type(reason).__name__} ({reason})")
    return TransientDeliveryError(f"{host} unreachable: {reason}")


def status_error(response: Response, what: str) -> DeliveryError:
    """The default meaning of a failed status: 429 and 5xx are worth retrying (after the
    server's Retry-After, if it gave one), any other status will repeat itself."""
    status = response.status
    if status == 429 or status >= 500:
        return TransientDeliveryError(
            f"{what}: HTTP {status}", retry_after=response.header_float("Retry-After")
        )
    if status in (401, 403):
        return PermanentDeliveryError(f"{what}: HTTP {status}, credentials refused")
    return PermanentDeliveryError(f"{what}: HTTP {status}")


def checked_url(url: str, what: str) -> str:
    """``url`` if documents may travel over it: HTTPS, or plain HTTP to this machine."""
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "::1", "localhost")
    if parts.scheme == "https" or (parts.scheme == "http" and loopback):
        return url
    raise PermanentDeliveryError(f"{what} URL must use https (got {parts.scheme or 'none'}:)")
