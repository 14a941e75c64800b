"""The OpenAPI document: valid OpenAPI 3, public, and listing every route of the API."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from tests.e2e.api.conftest import ApiServer
from tests.e2e.api.http_client import Http


def _document(api: ApiServer) -> dict:
    reply = Http(api.base).get("/openapi.json")
    assert reply.status == 200, reply
    document: dict = reply.json
    return document


def test_the_openapi_document_is_valid_and_needs_no_token(api: ApiServer):
    document = _document(api)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["security"] == [{"bearer": []}, {"session": []}]


def test_the_openapi_document_lists_every_route_and_method_of_the_api(api: ApiServer):
    paths = _document(api)["paths"]
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in api.flask.url_map.iter_rules() if rule.endpoint.startswith("api.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in paths.items() for method in item
                  if method != "parameters"}
    assert documented == routes
    assert len(routes) >= 30


def test_every_operation_says_what_it_answers_and_whether_it_needs_a_token(api: ApiServer):
    paths = _document(api)["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary") and operation["responses"], (method, path)
            public = path.endswith(("/accept", "/openapi.json")) or path.startswith(
                "/api/v1/destination-confirmations/")  # the link's token is the credential
            assert (operation.get("security") == []) is public, (method, path)
            if not public:
                assert "401" in operation["responses"], (method, path)
    accept = paths["/api/v1/invitations/{token}/accept"]["post"]
    assert set(accept["responses"]) == {"200", "404", "409"}
    create = paths["/api/v1/clients"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"] == {"$ref": "#/components/schemas/ClientCreate"}
