"""The HTTP API served for real: the application and its read models (fed in-process
from the event store, as in the embedded default) behind a werkzeug server on a free
loopback port, driven with urllib and bearer tokens like any API client.

One server per database for the whole session: every test opens its own firm, and
firms see nothing of each other, which is itself under test.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.auth_throttle import Limit
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.client_sessions import ClientSessions
from lucy_events.client_users import ClientUser
from lucy_events.config import Settings
from lucy_events.staff_sessions import StaffSessions
from lucy_events.web import create_app
from lucy_events.web.api.freshness import wait_for_own_writes
from lucy_events.web.http_server import stop_in_thread
from tests.conftest import FakeClock
from tests.e2e.api.http_client import Http
from tests.peppol_support import ZONE as SML_ZONE
from tests.peppol_support import LocalSml, empty_sml  # noqa: F401  (the fixture)
from tests.portal_support import activate
from tests.support import ADDRESS, CONTACT, Office, open_office

#: Tests that call with bad tokens on purpose share the loopback address; the
#: throttle has tests of its own (test_authentication_throttle).
LENIENT = {"address": Limit(100_000, timedelta(minutes=1), timedelta(seconds=1))}
#: Small, so the limit is tested without sending megabytes.
UPLOAD_LIMIT = 256 * 1024


def client_body(**overrides: Any) -> dict[str, Any]:
    """A valid POST /clients body (a Belgian company)."""
    body: dict[str, Any] = {
        "name": "Bakkerij Claes", "country": "BE", "enterprise_number": "0403.170.701",
        "legal_form": "BV", "address": dict(ADDRESS), "contact_person": dict(CONTACT),
    }
    body.update(overrides)
    return body


def be_number(seed: int) -> str:
    """A valid Belgian enterprise number, with dots as people type them."""
    digits = f"{4_000_000 + seed * 1013:08d}"
    digits += f"{97 - int(digits) % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


@dataclass
class Firm:
    """A firm on the server: its admin's and accountant's API clients."""

    server: ApiServer
    office: Office
    admin: Http
    accountant: Http
    clients: int = field(default=0)

    @property
    def id(self) -> UUID:
        return self.office.firm_id

    def new_client(self, http: Http | None = None, **overrides: Any) -> dict[str, Any]:
        self.clients += 1
        overrides.setdefault("enterprise_number", be_number(self.clients))
        reply = (http or self.admin).post("/clients", client_body(**overrides))
        assert reply.status == 201, reply
        client: dict[str, Any] = reply.json
        return client

    def upload(self, client_id: str, content: bytes = b"%PDF-1.4 test\n%%EOF\n",
               http: Http | None = None,
               document_type: str = "purchase-invoice") -> dict[str, Any]:
        reply = (http or self.admin).upload(f"/clients/{client_id}/documents", content,
                                            document_type=document_type)
        assert reply.status == 201, reply
        document: dict[str, Any] = reply.json
        return document


class ApiServer:
    def __init__(self, settings: Settings) -> None:
        self.clock = FakeClock()
        self.services: Services = bootstrap(settings, clock=self.clock)
        self.consumers = self.services.consumer_runner(self.services.projection_handlers())
        self.consumers.start()
        self.flask = create_app(self.services, {"LUCY_MAX_UPLOAD_BYTES": UPLOAD_LIMIT,
                                                "LUCY_AUTH_LIMITS": LENIENT})
        self.http: BaseWSGIServer = make_server("127.0.0.1", 0, self.flask, threaded=True,
                                                request_handler=_Quiet)
        self.base = f"http://127.0.0.1:{self.http.server_port}/api/v1"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()
        self.tokens = AccessTokens(self.services.read_db)

    def session_cookie(self, firm_id: UUID, staff: Actor, csrf: str) -> str:
        """A signed-in browser's cookie: a session started in the store, signed."""
        session_id = StaffSessions(self.services.read_db).start(
            firm_id, UUID(staff.id), str(staff.role))
        signer = self.flask.session_interface.get_signing_serializer(  # type: ignore[attr-defined]
            self.flask)
        cookie = {"sid": session_id, "csrf_token": csrf, "firm_id": str(firm_id),
                  "staff_id": staff.id}  # as signing in sets it
        return f"session={signer.dumps(cookie)}"

    def client_user_cookie(self, user: ClientUser, csrf: str) -> str:
        """A browser signed in to the client portal as ``user``: a client session in
        the store, its id under the portal's own key of the signed cookie."""
        session_id = ClientSessions(self.services.read_db).start(
            user.user_id, user.client_id, user.firm_id)
        signer = self.flask.session_interface.get_signing_serializer(  # type: ignore[attr-defined]
            self.flask)
        return f"session={signer.dumps({'client_sid': session_id, 'csrf_token': csrf})}"

    def client_user(self, firm: Firm, client_id: str) -> tuple[ClientUser, Http]:
        """The client activated, its owner, and an API client with their session."""
        _, owner = activate(self.services.app, self.services.read_db, firm.office,
                            UUID(client_id))
        self.settle()
        return owner, Http(self.base, cookie=self.client_user_cookie(owner, "csrf-portal"),
                           csrf="csrf-portal")

    def http_for(self, token: str | None) -> Http:
        return Http(self.base, token)

    def firm(self, name: str = "Dupont & Partners") -> Firm:
        office = open_office(self.services.app, name)
        return Firm(self, office, self._staff(office, office.admin),
                    self._staff(office, office.accountant))

    def _staff(self, office: Office, actor: Actor) -> Http:
        return self.http_for(self.tokens.issue(office.firm_id, UUID(actor.id)))

    def settle(self) -> None:
        """After a command run in the test's own thread: wait for the read models."""
        assert wait_for_own_writes(self.services, timeout=10)

    def close(self) -> None:
        self.http.shutdown()
        self.thread.join(10)
        self.consumers.stop()
        self.services.close()


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def _settings(data_dir: Path, sml: LocalSml, database_url: str | None = None) -> Settings:
    database_url = database_url or f"sqlite:///{data_dir / 'events.sqlite'}"
    read_url = (database_url if database_url.startswith("postgresql")
                else f"sqlite:///{data_dir / 'read.sqlite'}")
    return Settings(data_dir=data_dir, database_url=database_url,
                    blob_dir=data_dir / "blobs", read_database_url=read_url,
                    secrets_file=data_dir / "secrets.json",
                    dns_resolver=sml.address, peppol_sml_zone=SML_ZONE)


@pytest.fixture(scope="session")
def sqlite_api(tmp_path_factory: pytest.TempPathFactory,
               empty_sml: LocalSml) -> Iterator[ApiServer]:  # noqa: F811
    server = ApiServer(_settings(tmp_path_factory.mktemp("api-sqlite"), empty_sml))
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_api(tmp_path_factory: pytest.TempPathFactory,
                 postgres_server: str, empty_sml: LocalSml  # noqa: F811
                 ) -> Iterator[ApiServer]:
    import psycopg

    schema = f"api_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in postgres_server else "?"
    server = ApiServer(_settings(tmp_path_factory.mktemp("api-postgres"), empty_sml,
                                 f"{postgres_server}{separator}schema={schema}"))
    yield server
    server.close()
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def api(sqlite_api: ApiServer) -> ApiServer:
    """The SQLite server (the embedded default): most tests run there only."""
    return sqlite_api


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_api(request: pytest.FixtureRequest) -> ApiServer:
    """Both servers, for the tests that stand for the whole API on PostgreSQL too."""
    server: ApiServer = request.getfixturevalue(f"{request.param}_api")
    return server


@pytest.fixture
def firm(api: ApiServer) -> Firm:
    return api.firm()


class WaitressApi(ApiServer):
    """The same server, but on waitress as ``serve`` and ``api`` run it (web.http_server):
    for the tests that stand for the deployed service (the authorization matrix,
    schemathesis)."""

    def __init__(self, settings: Settings) -> None:
        from lucy_events.web.http_server import create_server

        self.clock = FakeClock()
        self.services = bootstrap(settings, clock=self.clock)
        self.consumers = self.services.consumer_runner(self.services.projection_handlers())
        self.consumers.start()
        self.flask = create_app(self.services, {"LUCY_MAX_UPLOAD_BYTES": UPLOAD_LIMIT,
                                                "LUCY_AUTH_LIMITS": LENIENT})
        self.waitress: Any = create_server(self.flask, host="127.0.0.1", port=0,
                                           max_upload_bytes=UPLOAD_LIMIT)
        self.base = f"http://127.0.0.1:{self.waitress.effective_port}/api/v1"
        self.thread = threading.Thread(target=self.waitress.run, daemon=True)
        self.thread.start()
        self.tokens = AccessTokens(self.services.read_db)

    def close(self) -> None:
        stop_in_thread(self.waitress, self.thread)
        self.consumers.stop()
        self.services.close()


@pytest.fixture(scope="session")
def waitress_sqlite_api(tmp_path_factory: pytest.TempPathFactory,
                        empty_sml: LocalSml) -> Iterator[WaitressApi]:  # noqa: F811
    server = WaitressApi(_settings(tmp_path_factory.mktemp("waitress-sqlite"), empty_sml))
    yield server
    server.close()


@pytest.fixture(scope="session")
def waitress_postgres_api(tmp_path_factory: pytest.TempPathFactory,
                          postgres_server: str,
                          empty_sml: LocalSml) -> Iterator[WaitressApi]:  # noqa: F811
    import psycopg

    schema = f"api_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in postgres_server else "?"
    server = WaitressApi(_settings(tmp_path_factory.mktemp("waitress-postgres"), empty_sml,
                                   f"{postgres_server}{separator}schema={schema}"))
    yield server
    server.close()
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
