"""Yuki's Archive web service (SOAP 1.1): Authenticate and UploadDocument, with faults
answered the ASMX way (HTTP 500 and a soap:Fault)."""

from __future__ import annotations

import base64
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from tests.integration.delivery.http_server import JsonHandler

NS = "http://www.theyukicompany.com/"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ACCESS_KEY = "yuki-access-key"


@dataclass
class FakeYuki:
    sessions: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # action, args
    uploads: list[dict[str, Any]] = field(default_factory=list)
    fault_on_upload: str | None = None

    def expire_sessions(self) -> None:
        self.sessions.clear()


class YukiHandler(JsonHandler):
    state: FakeYuki

    def do_POST(self) -> None:
        if self.path != "/ws/Archive.asmx":
            return self.reply(404, b"", content_type="text/plain")
        action = (self.headers.get("SOAPAction") or "").strip('"').removeprefix(NS)
        root = ElementTree.fromstring(self.raw_body())
        call = root.find(f"{{{SOAP}}}Body/{{{NS}}}{action}")
        if call is None:
            return self._fault("soap:Client", f"Server did not recognize the action {action}")
        arguments = {child.tag.removeprefix(f"{{{NS}}}"): child.text or "" for child in call}
        self.state.calls.append((action, arguments))
        if action == "Authenticate":
            if arguments.get("accessKey") != ACCESS_KEY:
                return self._fault("soap:Server", "Invalid accessKey, authentication failed.")
            session = str(uuid.uuid4())
            self.state.sessions.add(session)
            return self._result(action, session)
        if action == "UploadDocument":
            if arguments.get("sessionID") not in self.state.sessions:
                return self._fault("soap:Server", "The sessionID is invalid or has expired.")
            if self.state.fault_on_upload:
                return self._fault("soap:Server", self.state.fault_on_upload)
            document = str(uuid.uuid4())
            self.state.uploads.append({**arguments, "id": document,
                                       "content": base64.b64decode(arguments["data"])})
            return self._result(action, document)
        self._fault("soap:Client", f"unknown action {action}")

    def _result(self, action: str, value: str) -> None:
        self.reply(200, (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
            f'<{action}Response xmlns="{NS}"><{action}Result>{escape(value)}</{action}Result>'
            f"</{action}Response></soap:Body></soap:Envelope>"
        ).encode(), content_type="text/xml; charset=utf-8")

    def _fault(self, code: str, message: str) -> None:
        self.reply(500, (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault>'
            f"<faultcode>{code}</faultcode><faultstring>{escape(message)}</faultstring>"
            "<detail /></soap:Fault></soap:Body></soap:Envelope>"
        ).encode(), content_type="text/xml; charset=utf-8")
