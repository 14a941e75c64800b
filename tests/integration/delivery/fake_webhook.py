"""A webhook receiver that checks every signature before it believes a request."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.integration.delivery.http_server import JsonHandler

SECRET = "shared-webhook-secret"


@dataclass
class FakeWebhook:
    received: list[dict[str, Any]] = field(default_factory=list)  # headers, body, document
    references: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> reference
    answer: tuple[int, dict[str, Any], dict[str, str]] | None = None  # forced reply
    lookups_supported: bool = True


class WebhookHandler(JsonHandler):
    state: FakeWebhook

    def do_POST(self) -> None:
        body = self.raw_body()
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        signature = self.headers.get("X-Lucy-Signature") or ""
        if not hmac.compare_digest(signature, expected):
            return self.reply(401, {"error": "bad signature"})
        if self.path == "/hooks/documents/lookup":
            if not self.state.lookups_supported:
                return self.reply(404, {"error": "no such endpoint"})
            reference = self.state.references.get(json.loads(body)["delivery_key"])
            return self.reply(200, {"reference": reference}) if reference else \
                self.reply(404, {"error": "unknown"})
        if self.path != "/hooks/documents":
            return self.reply(404, {"error": "no such endpoint"})
        self.state.received.append({"headers": dict(self.headers.items()),
                                    "document": json.loads(body)})
        if self.state.answer is not None:
            status, answer, headers = self.state.answer
            return self.reply(status, answer, headers=headers)
        key = self.headers["Idempotency-Key"]
        if key in self.state.references:
            return self.reply(409, {"reference": self.state.references[key]})
        self.state.references[key] = f"wh-{uuid.uuid4().hex[:8]}"
        self.reply(201, {"reference": self.state.references[key]})
