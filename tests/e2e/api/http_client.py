"""A small API client over urllib: JSON in and out, multipart uploads, bearer tokens."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    content: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.content) if self.content else None

    @property
    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = self.json["error"]
        return error

    def __repr__(self) -> str:
        return f"<Reply {self.status} {self.content[:300]!r}>"


@dataclass
class Http:
    """An API client: one staff member's bearer token, or none (``token=None``); or a
    browser's session ``cookie`` (a client portal user's) with its CSRF secret."""

    base: str
    token: str | None = None
    cookie: str | None = None
    csrf: str | None = None

    def call(self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        sent = dict(headers or {})
        if self.token is not None:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        if self.cookie is not None:
            sent.setdefault("Cookie", self.cookie)
        if self.csrf is not None:
            sent.setdefault("X-CSRF-Token", self.csrf)
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        request = Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with urlopen(request, timeout=30) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def get(self, path: str, **query: Any) -> Reply:
        if query:
            path += "?" + urlencode(query, doseq=True)
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> Reply:
        return self.call("POST", path, body)

    def put(self, path: str, body: Any = None) -> Reply:
        return self.call("PUT", path, body)

    def delete(self, path: str) -> Reply:
        return self.call("DELETE", path)

    def upload(self, path: str, content: bytes, file_name: str = "invoice.pdf",
               media_type: str = "application/pdf", headers: dict[str, str] | None = None,
               **fields: str) -> Reply:
        boundary = secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_name}"\r\nContent-Type: {media_type}\r\n\r\n'.encode()
            + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        sent = {**(headers or {}),
                "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.call("POST", path, data=b"".join(parts), headers=sent)


def multipart(files: list[tuple[str, bytes]], **fields: str) -> tuple[bytes, str]:
    """A multipart body with every file as a part named ``file``; and its Content-Type."""
    boundary = secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    for file_name, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            .encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
