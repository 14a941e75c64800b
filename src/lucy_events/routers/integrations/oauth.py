"""OAuth2 tokens (the grants Exact Online uses): the refresh token an admin's consent
gives (authorization code), and access tokens from it, kept in the secret store beside
the client id and secret.

Refresh tokens rotate: each refresh answers with a new one and voids the old, so the new
one is written back before the access token is used. The access token and its expiry
are stored too, so processes and restarts share one token instead of refreshing early.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from lucy_events.routers.integrations.base import PermanentDeliveryError
from lucy_events.routers.integrations.credentials import SecretMissing, SecretStore
from lucy_events.routers.integrations.transport import HttpClient, Response, status_error

#: Renew a little before expiry, so a token does not lapse between check and use.
MARGIN = 30.0


class OAuthTokens:
    def __init__(
        self, secrets: SecretStore, http: HttpClient, *, name: str = "OAuth",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secrets = secrets
        self.http = http
        self.name = name
        self.clock = clock
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def access_token(self, ref: str | None, token_url: str) -> str:
        """A valid access token, refreshed first if the stored one is missing or expiring."""
        ref = _required(ref)
        with self._lock(ref):
            values = self.secrets.get(ref)
            if self._still_valid(values):
                return values["access_token"]
            return self._refresh(ref, token_url, values)

    def renew(self, ref: str | None, token_url: str, rejected: str) -> str:
        """A new access token after the remote refused ``rejected`` before its expiry."""
        ref = _required(ref)
        with self._lock(ref):
            values = self.secrets.get(ref)
            if values.get("access_token") != rejected and self._still_valid(values):
                return values["access_token"]  # someone renewed it meanwhile
            return self._refresh(ref, token_url, values)

    def exchange_code(self, ref: str, token_url: str, code: str, redirect_uri: str) -> None:
        """Store the tokens an authorization code (from the package's consent redirect)
        is worth, beside the client id and secret already under ``ref``. A refused code
        or an unreachable endpoint raises before anything is written."""
        with self._lock(ref):
            values = self.secrets.get(ref)
            response, answer = self._post(token_url, {
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri,
                "client_id": self._value(ref, values, "client_id"),
                "client_secret": self._value(ref, values, "client_secret"),
            })
            if response.status == 200 and answer.get("access_token") and \
                    answer.get("refresh_token"):
                self._keep(ref, values, answer, str(answer["refresh_token"]))
                return
            if response.status in (400, 401):
                error = answer.get("error") or f"HTTP {response.status}"
                raise PermanentDeliveryError(
                    f"{self.name} refused the authorization code: {error}")
            if response.status == 200:
                raise PermanentDeliveryError(
                    f"{self.name} answered the authorization code without a refresh token")
            raise status_error(response, f"{self.name} authorization code exchange")

    def _post(self, token_url: str, form: dict[str, str]) -> tuple[Response, dict[str, Any]]:
        response = self.http.request(
            "POST", token_url, body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/json"},
        )
        parsed = response.json()
        return response, parsed if isinstance(parsed, dict) else {}

    def _keep(self, ref: str, values: dict[str, str], answer: dict[str, Any],
              refresh_token: str) -> str:
        token = str(answer["access_token"])
        expires_in = float(answer.get("expires_in") or 600)
        self.secrets.put(ref, {
            **values, "refresh_token": refresh_token, "access_token": token,
            "access_token_expires_at": f"{self.clock() + expires_in:.0f}",
        })
        return token

    def _refresh(self, ref: str, token_url: str, values: dict[str, str], *,
                 again: bool = True) -> str:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self._value(ref, values, "refresh_token"),
            "client_id": self._value(ref, values, "client_id"),
            "client_secret": self._value(ref, values, "client_secret"),
        }
        response, answer = self._post(token_url, form)
        if response.status == 200 and answer.get("access_token"):
            return self._keep(ref, values, answer,
                              str(answer.get("refresh_token") or form["refresh_token"]))
        if response.status in (400, 401) and answer.get("error") == "invalid_grant":
            current = self.secrets.get(ref)
            if again and current.get("refresh_token") != form["refresh_token"]:
                # Another process rotated the refresh token after we read it.
                return self._refresh(ref, token_url, current, again=False)
            raise PermanentDeliveryError(
                f"{self.name} refresh token was revoked or has expired; "
                "reconnect the firm's account")
        if response.status in (400, 401):
            error = answer.get("error") or f"HTTP {response.status}"
            raise PermanentDeliveryError(f"{self.name} token refresh refused: {error}")
        raise status_error(response, f"{self.name} token refresh")

    def _still_valid(self, values: dict[str, str]) -> bool:
        try:
            expires_at = float(values.get("access_token_expires_at") or 0)
        except ValueError:
            return False
        return bool(values.get("access_token")) and expires_at - MARGIN > self.clock()

    def _value(self, ref: str, values: dict[str, str], key: str) -> str:
        if not values.get(key):
            raise SecretMissing(f"credentials {ref!r} have no {key!r}")
        return values[key]

    def _lock(self, ref: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(ref, threading.Lock())


def _required(ref: str | None) -> str:
    if not ref:
        raise SecretMissing("no credentials are configured (credentials_ref is empty)")
    return ref
