"""Property-based testing of the API against its own description: schemathesis reads
``/api/v1/openapi.json`` from the real server (waitress, embedded default), generates
requests for every operation, valid ones and invalid ones, and runs all its checks on
every answer, with an admin's token (and, for the client portal's operations, the
client's owner's session cookie): no 5xx, every status, content type, header and
body as documented, invalid requests refused, valid ones accepted.

Path ids are generated (unknown ids: 404) and, for half the examples, those of a real
client, document and vault file of the admin's firm, so the bodies reach the rules
behind the lookups. Examples per operation and mode are bounded (``EXAMPLES``) and
failing examples are not shrunk, so the run stays short. (schemathesis' own pytest
integration does not run under pytest 9, so the operations are driven from its Python
API: one Hypothesis test per operation and generation mode.)
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.e2e.api.conftest import WaitressApi

EXAMPLES = 10
#: All checks, as configured by default, but one: a request valid in shape may still
#: break a business rule, which the API answers 422 (documented on every operation
#: that has such rules: "well-formed, but a value breaks a domain rule"), e.g. a team
#: id the firm does not have. A shape the description allows must never be a 400.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}}})
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


def test_every_operation_answers_generated_requests_as_documented(
        waitress_sqlite_api: WaitressApi):
    api = waitress_sqlite_api
    firm = api.firm("Schemathesis & Co")
    client = firm.new_client()
    document = firm.upload(client["id"])
    shared = firm.admin.upload(f"/clients/{client['id']}/vault", b"%PDF-1.4 return")
    known = {"client_id": client["id"], "document_id": document["id"],
             "file_id": shared.json["items"][0]["id"]}
    # The client's owner too, for the client portal's operations: their session cookie
    # where the case has one (a negative case may leave it out: then 401) and the CSRF
    # secret; a staff operation goes by the bearer token, which it looks at first.
    _, portal = api.client_user(firm, client["id"])
    session = str(portal.cookie).removeprefix("session=")
    auth = {"Authorization": f"Bearer {api.tokens.issue(firm.id, UUID(firm.office.admin.id))}",
            "X-CSRF-Token": str(portal.csrf)}
    base = api.base.removesuffix("/api/v1")
    schema = schemathesis.openapi.from_url(api.base + "/openapi.json", config=CONFIG)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    unsatisfiable: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        ids = {name: value for name, value in known.items()
               if name in {p.name for p in operation.path_parameters}}
        for mode, fixed in ((GenerationMode.POSITIVE, None), (GenerationMode.POSITIVE, ids),
                            (GenerationMode.NEGATIVE, None)):
            if fixed == {}:
                continue
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
            try:
                _run(strategy, base, auth, session, statuses)
            except Unsatisfiable:  # nothing invalid to make (a free-form path token)
                unsatisfiable.append(f"{operation.label} ({mode.value})")
            except (Exception, BaseExceptionGroup) as error:  # each one is reported
                failures.append(f"{operation.label} ({mode.value}"
                                f"{', real ids' if fixed else ''}): {_summary(error)}")
    print(f"schemathesis: {len(operations)} operations, {sum(statuses.values())} requests, "
          f"statuses {dict(sorted(statuses.items()))}, {len(failures)} failing; "
          f"no invalid requests to make for {unsatisfiable}")
    assert not [s for s in statuses if s >= 500], statuses
    assert not failures, "\n\n".join(failures)


def _run(strategy: Any, base: str, auth: dict[str, str], session: str,
         statuses: Counter[int]) -> None:
    @given(case=strategy)
    @SETTINGS
    def check(case: schemathesis.Case) -> None:
        if case.cookies and "session" in case.cookies:
            case.cookies["session"] = session
        response = case.call(base_url=base, headers=auth)
        statuses[response.status_code] += 1
        case.validate_response(response, headers=auth, transport_kwargs={"base_url": base})

    check()


def _summary(error: BaseException) -> str:
    """The failure's title, its answer and the request to reproduce it."""
    text = str(error).strip()
    return text if len(text) < 1500 else text[:1500] + " ..."
