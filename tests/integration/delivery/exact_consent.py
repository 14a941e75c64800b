"""Connecting Exact Online by consent as an API client does: start the consent, let the
admin's browser allow (or deny) it at Exact, and hand back what the redirect carried."""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import urlopen

from tests.integration.delivery.fake_exact import CLIENT_ID, CLIENT_SECRET


def consent_at_exact(authorize_url: str, decision: str = "allow") -> dict[str, str]:
    """The admin's browser at Exact: the consent page, Allow (or Deny), and the query
    of the redirect back to us."""
    with urlopen(authorize_url, timeout=5) as page:
        assert b"Allow" in page.read()
    parts = urlsplit(authorize_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    connection.request("POST", parts.path,
                       urlencode({**dict(parse_qsl(parts.query)), "decision": decision}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    assert answer.status == 302
    location = answer.getheader("Location") or ""
    connection.close()
    return dict(parse_qsl(urlsplit(location).query))


def set_up(api: Any, package: str, exact_url: str, secret: str = CLIENT_SECRET) -> None:
    saved = api("PUT", f"/packages/{package}", {"settings": {
        "client_id": CLIENT_ID, "client_secret": secret, "base_url": exact_url,
        "division": "3361923"}})
    assert saved.status_code == 200, saved.json


def connect(api: Any, package: str, decision: str = "allow") -> Any:
    started = api("POST", f"/packages/{package}/consent")
    assert started.status_code == 201, started.json
    back = consent_at_exact(started.json["authorize_url"], decision)
    return api("POST", f"/packages/{package}/consent/callback", back)
