"""A Confluent Schema Registry stand-in on loopback, speaking the REST endpoints that
``lucy-events schemas register`` uses, with their rules and error codes:

- an explicit id or version is accepted only in IMPORT mode; without them, READWRITE;
- a subject with versions goes to IMPORT only with ``?force=true``;
- an id names one schema: re-using it for another is refused (42205), and a schema already
  registered elsewhere keeps its id in a new subject; an explicit version overwrites, as in
  Confluent's registry;
- lookups compare schemas as parsed JSON (Confluent compares canonical forms).

- a subject's compatibility level is set with ``PUT /config/{subject}`` (one of Confluent's
  levels, else 42203) and read with ``GET /config/{subject}`` (40408 when it has none of
  its own).

Not modelled: compatibility checks themselves, deletions, contexts, references.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

import fastavro

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
MODES = ("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT")
LEVELS = ("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
          "FULL_TRANSITIVE")


class RegistryError(Exception):
    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.error_code, self.message = status, error_code, message


def _not_permitted(message: str) -> RegistryError:
    return RegistryError(422, 42205, message)


@dataclass
class RegistryState:
    mode_changes: bool = True
    global_mode: str = "READWRITE"
    modes: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, dict[int, int]] = field(default_factory=dict)  # subject: version: id
    schemas: dict[int, str] = field(default_factory=dict)  # id: canonical text
    compatibility: dict[str, str] = field(default_factory=dict)  # subject: level

    def set_compatibility(self, subject: str, level: str) -> dict[str, str]:
        if level not in LEVELS:
            raise RegistryError(422, 42203, f"Invalid compatibility level {level!r}")
        self.compatibility[subject] = level
        return {"compatibility": level}

    def config(self, subject: str) -> dict[str, str]:
        if subject not in self.compatibility:
            raise RegistryError(404, 40408, f"Subject '{subject}' does not have "
                                            "subject-level compatibility configured")
        return {"compatibilityLevel": self.compatibility[subject]}

    def mode(self, subject: str) -> str:
        return self.modes.get(subject, self.global_mode)

    def set_mode(self, subject: str | None, mode: str, force: bool) -> dict[str, str]:
        if not self.mode_changes:
            raise _not_permitted("Mode changes are not allowed")
        if mode not in MODES:
            raise RegistryError(422, 42204, f"Invalid mode {mode!r}")
        current = self.global_mode if subject is None else self.mode(subject)
        occupied = self.subjects if subject is None else self.subjects.get(subject)
        if mode == "IMPORT" and current != "IMPORT" and occupied and not force:
            raise _not_permitted("Cannot import since found existing subjects")
        if subject is None:
            self.global_mode = mode
        else:
            self.modes[subject] = mode
        return {"mode": mode}

    def versions(self, subject: str) -> dict[int, int]:
        if subject not in self.subjects:
            raise RegistryError(404, 40401, f"Subject '{subject}' not found.")
        return self.subjects[subject]

    def version(self, subject: str, version: str) -> dict[str, Any]:
        versions = self.versions(subject)
        if version == "latest":
            number = max(versions)
        elif version.isdigit() and int(version) > 0:
            number = int(version)
        else:
            raise RegistryError(422, 42202, f"The specified version '{version}' is not valid")
        if number not in versions:
            raise RegistryError(404, 40402, f"Version {number} not found.")
        schema_id = versions[number]
        return {"subject": subject, "version": number, "id": schema_id,
                "schema": self.schemas[schema_id]}

    def schema(self, schema_id: int) -> dict[str, Any]:
        if schema_id not in self.schemas:
            raise RegistryError(404, 40403, f"Schema {schema_id} not found")
        return {"schema": self.schemas[schema_id]}

    def lookup(self, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        text = _canonical(body)
        for number, schema_id in self.versions(subject).items():
            if self.schemas[schema_id] == text:
                return {"subject": subject, "version": number, "id": schema_id, "schema": text}
        raise RegistryError(404, 40403, "Schema not found")

    def register(self, subject: str, body: dict[str, Any]) -> dict[str, int]:
        schema_id, version = int(body.get("id") or -1), int(body.get("version") or 0)
        mode = self.mode(subject)
        if mode.startswith("READONLY"):
            raise _not_permitted(f"Subject {subject} is in read-only mode")
        if (schema_id >= 0 or version > 0) and mode != "IMPORT":
            raise _not_permitted(f"Subject {subject} is not in import mode")
        if schema_id < 0 and version <= 0 and mode != "READWRITE":
            raise _not_permitted(f"Subject {subject} is not in read-write mode")
        text = _canonical(body)
        versions = self.subjects.get(subject, {})
        for held in versions.values():
            if self.schemas[held] == text and schema_id in (-1, held):
                return {"id": held}
        known = [i for i, s in self.schemas.items() if s == text]
        if known and schema_id < 0:
            schema_id = known[0]
        if schema_id >= 0 and self.schemas.get(schema_id, text) != text:
            raise _not_permitted(f"Overwrite new schema with id {schema_id} is not permitted.")
        if schema_id < 0:
            schema_id = max(self.schemas, default=0) + 1
        self.schemas[schema_id] = text
        self.subjects.setdefault(subject, {})[version or max(versions, default=0) + 1] = schema_id
        return {"id": schema_id}


def _canonical(body: dict[str, Any]) -> str:
    if body.get("schemaType", "AVRO") != "AVRO":
        raise RegistryError(422, 42201, "Invalid schema: only AVRO here")
    try:
        parsed = json.loads(body["schema"])
        fastavro.parse_schema(parsed)
    except Exception as error:
        raise RegistryError(422, 42201, f"Invalid schema: {error}") from None
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (method, re.compile(f"^{pattern}$"), action) for method, pattern, action in [
        ("GET", r"/subjects", "subjects"),
        ("GET", r"/subjects/([^/]+)/versions", "versions"),
        ("GET", r"/subjects/([^/]+)/versions/([^/]+)", "version"),
        ("POST", r"/subjects/([^/]+)", "lookup"),
        ("POST", r"/subjects/([^/]+)/versions", "register"),
        ("GET", r"/schemas/ids/(-?\d+)", "schema"),
        ("GET", r"/mode", "global_mode"),
        ("PUT", r"/mode", "set_global_mode"),
        ("GET", r"/mode/([^/]+)", "mode"),
        ("PUT", r"/mode/([^/]+)", "set_mode"),
        ("GET", r"/config/([^/]+)", "config"),
        ("PUT", r"/config/([^/]+)", "set_config"),
    ]
]


class FakeSchemaRegistry:
    """``with FakeSchemaRegistry() as registry: registry.url``; ``registry.requests`` lists
    every (method, path) it answered, ``registry.state`` holds what it stores."""

    def __init__(self, *, mode_changes: bool = True,
                 credentials: tuple[str, str] | None = None) -> None:
        self.state = RegistryState(mode_changes=mode_changes)
        self.requests: list[tuple[str, str]] = []
        self.credentials = credentials
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def answer(self, method: str, target: str, body: dict[str, Any] | None,
               authorization: str | None) -> tuple[int, Any]:
        url = urlsplit(target)
        query = parse_qs(url.query)
        with self._lock:
            self.requests.append((method, url.path))
            try:
                if self.credentials and authorization != _basic(*self.credentials):
                    raise RegistryError(401, 401, "Unauthorized")
                return 200, self._dispatch(method, url.path, query, body or {})
            except RegistryError as error:
                return error.status, {"error_code": error.error_code, "message": error.message}

    def _dispatch(self, method: str, path: str, query: dict[str, list[str]],
                  body: dict[str, Any]) -> Any:
        state, force = self.state, query.get("force") == ["true"]
        for route_method, pattern, action in _ROUTES:
            match = pattern.match(path)
            if not match or route_method != method:
                continue
            args = [unquote(a) for a in match.groups()]
            if action == "subjects":
                return sorted(state.subjects)
            if action == "versions":
                return sorted(state.versions(args[0]))
            if action == "version":
                return state.version(*args)
            if action == "lookup":
                return state.lookup(args[0], body)
            if action == "register":
                return state.register(args[0], body)
            if action == "schema":
                return state.schema(int(args[0]))
            if action == "global_mode":
                return {"mode": state.global_mode}
            if action == "set_global_mode":
                return state.set_mode(None, str(body.get("mode")), force)
            if action == "mode":
                if args[0] in state.modes or query.get("defaultToGlobal") == ["true"]:
                    return {"mode": state.mode(args[0])}
                raise RegistryError(404, 40409, f"Subject '{args[0]}' has no mode of its own")
            if action == "set_mode":
                return state.set_mode(args[0], str(body.get("mode")), force)
            if action == "config":
                return state.config(args[0])
            if action == "set_config":
                return state.set_compatibility(args[0], str(body.get("compatibility")))
        raise RegistryError(404, 404, "HTTP 404 Not Found")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    status, answer = 400, {"error_code": 400, "message": "Unrecognized JSON"}
                else:
                    status, answer = registry.answer(self.command, self.path, body,
                                                     self.headers.get("Authorization"))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the test asserts on registry.requests instead

        return Handler


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
