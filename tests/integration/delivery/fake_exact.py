"""The parts of Exact Online's REST API the adapter uses, played by a local HTTP server:
OAuth2 — the authorization page (an admin allows or denies; the browser goes back to
the redirect URI with a code or an error), the token endpoint's authorization_code and
refresh_token grants with rotating refresh tokens —, ``current/Me``, Documents and
DocumentAttachments (create and ``$filter`` lookups) and the rate-limit headers."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.integration.delivery.http_server import JsonHandler

CLIENT_ID, CLIENT_SECRET = "lucy-app", "lucy-app-secret"
USER = {"FullName": "Sofie Janssens", "CurrentDivision": 3361923}
_API = re.compile(
    r"^/api/v1/(?P<division>\d+)/documents/(?P<entity>Documents|DocumentAttachments)$")


@dataclass
class FakeExact:
    clock: Callable[[], float]
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, token
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    minutely_remaining: int = 60
    minutely_reset_in: float = 60.0
    throttle_next: int = 0  # answer the next N API calls with 429
    fail_attachments: int = 0  # answer the next N attachment POSTs with 503
    reject_documents: str | None = None
    #: Authorization codes given at consent, with the redirect URI they were given for.
    codes: dict[str, str] = field(default_factory=dict)
    consents: list[dict[str, str]] = field(default_factory=list)  # the authorize requests
    token_down: int = 0  # answer the next N token requests with 503

    def issue_refresh_token(self) -> str:
        token = f"refresh-{uuid.uuid4().hex}"
        self.refresh_tokens.add(token)
        return token

    def revoke(self) -> None:
        self.refresh_tokens.clear()
        self.access_tokens.clear()

    def attachments_of(self, document: str) -> list[dict[str, Any]]:
        return [a for a in self.attachments.values() if a["Document"] == document]

    def reset_header(self) -> str:
        return f"{(self.clock() + self.minutely_reset_in) * 1000:.0f}"


class ExactHandler(JsonHandler):
    state: FakeExact

    def do_POST(self) -> None:
        if self.path == "/api/oauth2/token":
            return self._token()
        if urlsplit(self.path).path == "/api/oauth2/auth":
            return self._decide()
        self._api("POST")

    def do_GET(self) -> None:
        if urlsplit(self.path).path == "/api/oauth2/auth":
            return self._consent_page()
        self._api("GET")

    def _consent_page(self) -> None:
        """Exact's page where the signed-in user allows the app into their account."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.state.consents.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" \
                or not query.get("redirect_uri", "").startswith("http"):
            return self.reply(400, b"unknown app or redirect", content_type="text/plain")
        hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                         for k, v in query.items())
        page = (f"<!doctype html><title>Exact Online</title><h1>Give Lucy access to "
                f"{USER['FullName']}'s Exact Online?</h1>"
                f"<form method=post action=/api/oauth2/auth>{hidden}"
                "<button name=decision value=allow>Allow</button>"
                "<button name=decision value=deny>Deny</button></form>")
        self.reply(200, page.encode(), content_type="text/html; charset=utf-8")

    def _decide(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self.raw_body().decode()).items()}
        back = {"state": form.get("state", "")}
        if form.get("decision") == "allow":
            code = f"code-{uuid.uuid4().hex}!"  # Exact's codes hold characters to escape
            self.state.codes[code] = form["redirect_uri"]
            back["code"] = code
        else:
            back |= {"error": "access_denied",
                     "error_description": "The user denied access to the app"}
        self.reply(302, b"", headers={"Location": f"{form['redirect_uri']}?{urlencode(back)}"},
                   content_type="text/plain")

    def _token(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self.raw_body().decode()).items()}
        self.state.token_requests.append(form)
        if self.state.token_down > 0:
            self.state.token_down -= 1
            return self.reply(503, b"maintenance", content_type="text/plain")
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return self.reply(401, {"error": "invalid_client"})
        if form.get("grant_type") == "authorization_code":
            # A code works once, and only with the redirect URI it was given for.
            if self.state.codes.pop(form.get("code", ""), None) != form.get("redirect_uri"):
                return self.reply(400, {"error": "invalid_grant"})
        elif form.get("grant_type") != "refresh_token" or \
                form.get("refresh_token") not in self.state.refresh_tokens:
            return self.reply(400, {"error": "invalid_grant"})
        self.state.refresh_tokens.discard(form.get("refresh_token", ""))  # rotation voids it
        access = f"access-{uuid.uuid4().hex}"
        self.state.access_tokens.add(access)
        self.reply(200, {"access_token": access, "token_type": "bearer", "expires_in": "600",
                         "refresh_token": self.state.issue_refresh_token()})

    def _api(self, method: str) -> None:
        state = self.state
        url = urlsplit(self.path)
        match = _API.match(url.path)
        body = self.raw_body()
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        state.calls.append((method, url.path, token))
        if url.path == "/api/v1/current/Me" and method == "GET":
            if token not in state.access_tokens:
                return self.reply(401, b"", content_type="text/plain")
            return self.reply(200, {"d": {"results": [USER]}})
        if match is None:
            return self.reply(404, {"error": {"message": {"value": "not found"}}})
        if token not in state.access_tokens:
            return self.reply(401, b"", content_type="text/plain")
        if state.throttle_next > 0:
            state.throttle_next -= 1
            return self.reply(429, {"error": {"message": {"value": "Too many requests"}}},
                              headers={"X-RateLimit-Minutely-Remaining": "0",
                                       "X-RateLimit-Minutely-Reset": state.reset_header()})
        state.minutely_remaining = max(0, state.minutely_remaining - 1)
        limits = {"X-RateLimit-Minutely-Remaining": str(state.minutely_remaining),
                  "X-RateLimit-Minutely-Reset": state.reset_header(),
                  "X-RateLimit-Remaining": "4000", "X-RateLimit-Reset": "0"}
        entity = match["entity"]
        if method == "GET":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            return self.reply(200, {"d": {"results": self._lookup(entity, query)}},
                              headers=limits)
        received = json.loads(body)
        if entity == "Documents":
            if state.reject_documents:
                return self.reply(400, {"error": {"code": "", "message": {
                    "lang": "", "value": state.reject_documents}}}, headers=limits)
            document = str(uuid.uuid4())
            state.documents[document] = {**received, "division": match["division"]}
            return self.reply(201, {"d": {"ID": document, **received}}, headers=limits)
        if state.fail_attachments > 0:
            state.fail_attachments -= 1
            return self.reply(503, b"busy", headers=limits, content_type="text/plain")
        attachment = str(uuid.uuid4())
        state.attachments[attachment] = {
            "Document": received["Document"], "FileName": received["FileName"],
            "content": base64.b64decode(received["Attachment"]),
        }
        self.reply(201, {"d": {"ID": attachment}}, headers=limits)

    def _lookup(self, entity: str, query: dict[str, str]) -> list[dict[str, str]]:
        assert query.get("$select") == "ID"
        condition = query.get("$filter", "")
        if entity == "Documents":
            subject = re.fullmatch(r"Subject eq '((?:[^']|'')*)'", condition)
            assert subject, condition
            wanted = subject[1].replace("''", "'")
            return [{"ID": i} for i, d in self.state.documents.items()
                    if d["Subject"] == wanted]
        document = re.fullmatch(r"Document eq guid'([0-9a-f-]{36})'", condition)
        assert document, condition
        return [{"ID": i} for i, a in self.state.attachments.items()
                if a["Document"] == document[1]]
