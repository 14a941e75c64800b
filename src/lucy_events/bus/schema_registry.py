"""A small client for the Confluent Schema Registry REST API, and the loading of a registry
with the fixed ids of ``schemas/registry.json`` (``lucy-events schemas register URL``).

Why IMPORT mode: a registry gives new schemas ids of its own choosing, while our events carry
the ids of registry.json in their Confluent framing. Only a subject in IMPORT mode accepts an
explicit id and version, and a subject that already has versions (PeppolEnabled v2 after v1)
is switched to IMPORT only with ``force=true``. Each subject goes back to READWRITE after its
registration, whether it succeeded or not.

Why FULL compatibility on every subject: lucy-events promises integrators that a new reader
reads old messages and an old reader reads new ones (new fields only with defaults, no field
removed). With the level set, a registry refuses a schema that would break that promise,
whoever registers it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, unquote, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from fastavro.schema import to_parsing_canonical_form

from lucy_events.bus.avro import RegisteredSchema

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
COMPATIBILITY = "FULL"
SUBJECT_NOT_FOUND = 40401
VERSION_NOT_FOUND = 40402
SCHEMA_NOT_FOUND = 40403


class SchemaRegistryError(Exception):
    """Raised when the registry cannot be reached or answers with an error; keeps the HTTP
    status and the registry's own ``error_code`` and ``message``."""

    def __init__(self, request: str, status: int | None, error_code: int | None,
                 message: str) -> None:
        answer = [f"HTTP {status}"] if status else []
        answer += [f"error_code {error_code}"] if error_code is not None else []
        super().__init__(f"{request}: {message}" + (f" ({', '.join(answer)})" if answer else ""))
        self.request, self.status = request, status
        self.error_code, self.message = error_code, message


class SchemaConflict(Exception):
    """Raised when the registry holds a subject's schema, or its version, under another id
    than ``schemas/registry.json``: the same id would name two schemas. Nothing is changed."""


class SchemaRegistryClient:
    """The endpoints that loading and checking a registry needs. ``user:password@`` in the
    URL becomes HTTP basic authentication (and never appears in a message)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a Schema Registry URL is http(s)://host[:port][/path]")
        host = parts.netloc.rpartition("@")[2]
        self.url = urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))
        self.timeout = timeout
        self._auth = None
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            self._auth = "Basic " + base64.b64encode(pair.encode()).decode()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = Request(self.url + path, method=method,
                          data=None if body is None else json.dumps(body).encode())
        request.add_header("Accept", CONTENT_TYPE)
        if body is not None:
            request.add_header("Content-Type", CONTENT_TYPE)
        if self._auth:
            request.add_header("Authorization", self._auth)
        what = f"{method} {path.partition('?')[0]}"
        try:
            with urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except HTTPError as error:
            raise _registry_error(what, error) from None
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SchemaRegistryError(what, None, None,
                                      f"cannot reach {self.url} ({reason})") from None
        try:
            return json.loads(raw or b"null")
        except ValueError:
            raise SchemaRegistryError(what, status, None,
                                      f"answered with no JSON: {raw[:200]!r}") from None

    def subjects(self) -> list[str]:
        return list(self._call("GET", "/subjects"))

    def versions(self, subject: str) -> list[int]:
        """The subject's versions; none when the subject is unknown."""
        try:
            return list(self._call("GET", f"/subjects/{_q(subject)}/versions"))
        except SchemaRegistryError as error:
            if error.error_code == SUBJECT_NOT_FOUND:
                return []
            raise

    def version(self, subject: str, version: int | str) -> dict[str, Any]:
        return dict(self._call("GET", f"/subjects/{_q(subject)}/versions/{version}"))

    def schema(self, schema_id: int) -> dict[str, Any]:
        return dict(self._call("GET", f"/schemas/ids/{schema_id}"))

    def lookup(self, subject: str, schema: str) -> dict[str, Any] | None:
        """The subject's version holding `schema` (subject, id, version), or None."""
        try:
            return dict(self._call("POST", f"/subjects/{_q(subject)}",
                                   {"schema": schema, "schemaType": "AVRO"}))
        except SchemaRegistryError as error:
            if error.error_code in (SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND):
                return None
            raise

    def set_mode(self, subject: str, mode: str, *, force: bool = False) -> None:
        suffix = "?force=true" if force else ""
        self._call("PUT", f"/mode/{_q(subject)}{suffix}", {"mode": mode})

    def set_compatibility(self, subject: str, level: str) -> str:
        answer = self._call("PUT", f"/config/{_q(subject)}", {"compatibility": level})
        return str(answer.get("compatibility", level))

    def compatibility(self, subject: str) -> str | None:
        """The subject's own compatibility level, or None when it has none of its own."""
        try:
            answer = self._call("GET", f"/config/{_q(subject)}")
        except SchemaRegistryError as error:
            if error.status == 404:
                return None
            raise
        return str(answer.get("compatibilityLevel"))

    def register(self, subject: str, schema: str, *, schema_id: int | None = None,
                 version: int | None = None) -> int:
        """Register `schema` under `subject`; an explicit id or version needs IMPORT mode."""
        body: dict[str, Any] = {"schema": schema, "schemaType": "AVRO"}
        if schema_id is not None:
            body["id"] = schema_id
        if version is not None:
            body["version"] = version
        return int(self._call("POST", f"/subjects/{_q(subject)}/versions", body)["id"])


def schema_text(entry: RegisteredSchema) -> str:
    """The schema as the registry stores it: the JSON text, envelope expanded in place."""
    return json.dumps(entry.schema, separators=(",", ":"))


def register_fixed(client: SchemaRegistryClient,
                   schemas: Iterable[RegisteredSchema]) -> Iterator[tuple[RegisteredSchema, bool]]:
    """Register every schema under its subject with its own id and version, older versions
    first; yields (schema, True) when registered, (schema, False) when already there.

    Stops with SchemaConflict at the first subject that holds the schema, or its version,
    under another id: re-running is safe, so fix the registry (or registry.json) and run again.
    """
    for entry in sorted(schemas, key=lambda s: s.version):  # stable: file order otherwise
        text = schema_text(entry)
        found = client.lookup(entry.subject, text)
        if found is not None:
            if found["id"] != entry.id:
                raise SchemaConflict(
                    f"{entry.subject}: the registry holds this schema (version "
                    f"{found.get('version')}) under id {found['id']}, but schemas/registry.json "
                    f"gives it id {entry.id}")
            yield entry, False
            continue
        if entry.version in client.versions(entry.subject):
            held = client.version(entry.subject, entry.version)
            if held.get("id") == entry.id and same_avro(held.get("schema", ""), text):
                yield entry, False  # only docs differ: the same schema for Avro
                continue
            raise SchemaConflict(
                f"{entry.subject}: version {entry.version} in the registry is another schema "
                f"(id {held.get('id')}) than schemas/registry.json's (id {entry.id}); a "
                f"published schema never changes: evolve it as a new version")
        client.set_mode(entry.subject, "IMPORT", force=True)
        try:
            registered = client.register(entry.subject, text, schema_id=entry.id,
                                         version=entry.version)
        finally:
            client.set_mode(entry.subject, "READWRITE")
        if registered != entry.id:
            raise SchemaConflict(f"{entry.subject}: the registry answered id {registered}, "
                                 f"schemas/registry.json gives id {entry.id}")
        yield entry, True


def require_compatibility(client: SchemaRegistryClient, subjects: Iterable[str],
                          level: str = COMPATIBILITY) -> list[str]:
    """Give each subject the compatibility ``level`` (idempotent); returns the subjects
    whose level changed."""
    changed = []
    for subject in sorted(set(subjects)):
        if client.compatibility(subject) != level:
            client.set_compatibility(subject, level)
            changed.append(subject)
    return changed


def same_avro(held: str, ours: str) -> bool:
    """Whether two schema texts are the same schema for Avro: equal Parsing Canonical Forms,
    which leave out docs (adding docs to a published schema changes no message)."""
    try:
        return bool(to_parsing_canonical_form(json.loads(held))
                    == to_parsing_canonical_form(json.loads(ours)))
    except (ValueError, TypeError, KeyError):
        return False


def _q(subject: str) -> str:
    return quote(subject, safe="")


def _registry_error(request: str, error: HTTPError) -> SchemaRegistryError:
    raw = error.read().decode(errors="replace")
    try:
        body = json.loads(raw)
        return SchemaRegistryError(request, error.code, body.get("error_code"),
                                   str(body.get("message")))
    except (ValueError, AttributeError):
        return SchemaRegistryError(request, error.code, None, raw[:500] or str(error.reason))
