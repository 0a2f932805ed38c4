"""Issue 14, "Answers that are 500s today": the API is published as an OpenAPI 3.1 document
at GET /api/v1/openapi.json that lists exactly the routes the server has, and every
operation is fuzzed from it (schemathesis): no 5xx, every error is {error, message},
answers match the documented schemas, and a refused request changes nothing stored."""

import itertools
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from counter.routes import ACTIONS
from layso.web.openapi import document
from tests.conftest import DATA
from tests.helpers import database_digest

# Schemathesis' own strategies call `random` (Hypothesis seeds it per example, so runs stay repeatable).
pytestmark = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
# Bounded and derandomized, so CI runs the same cases in about a minute on a busy 2-core
# machine; LAYSO_FUZZ_EXAMPLES=500 hunts deeper by hand.
EXAMPLES = int(os.environ.get("LAYSO_FUZZ_EXAMPLES", "20"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = sorted((method.upper(), path) for path, item in document()["paths"].items() for method in item)


def served_routes(app) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/v1 route; the counters' <action> is one path per verb."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        paths = [path.replace("{action}", action) for action in ACTIONS] if "{action}" in path else [path]
        routes |= {(method, each) for method in rule.methods - {"HEAD", "OPTIONS"} for each in paths}
    return routes


def test_openapi_document_is_served_as_openapi_3_1(client):
    """Answers that are 500s today (OpenAPI): GET /api/v1/openapi.json serves the document."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == document()
    assert document()["openapi"] == "3.1.0"
    validate(document())  # against the OpenAPI 3.1 schema
    schemathesis.openapi.from_dict(document())  # loads and resolves


def test_every_api_route_is_in_the_document_and_every_documented_one_exists(app):
    """Answers that are 500s today (OpenAPI): a route under /api/v1 the document lacks, or a
    documented operation the server lacks, fails here."""
    assert served_routes(app) == set(OPERATIONS)


@pytest.fixture
def settings(make_settings, tmp_path):
    """The test center with its kiosk k1 but no printer: a print job would write to the
    database in the background, between a refused request and the check that follows it."""
    config = tmp_path / "center.toml"
    config.write_text(re.sub(r"\nprinter = .*", "", (DATA / "center.toml").read_text(encoding="utf-8")), encoding="utf-8")
    return make_settings(config=config)


@pytest.fixture
def fuzzed(app, client, login):
    """The app with counter 1 open and serving, a token per role the document names, and
    values of the center's own ids (path parameters and body fields by name)."""
    tokens = {"officer": login("an"), "manager": login("quanly"), "admin": login("quantri")}
    tablet = client.post("/api/v1/admin/devices", json={"id": "tab-1", "kind": "tablet", "name": "Bảng 1", "counter": 1},
                         headers=tokens["admin"]).get_json()
    tokens["tablet"] = {"Authorization": f"Bearer {tablet['token']}"}
    client.post("/api/v1/counters/1/open", headers=tokens["officer"])
    tickets = [client.post("/api/v1/tickets", json={"service": service, "kiosk": "k1"}).get_json()
               for service in ("HT", "HT", "LLTP")]
    client.post("/api/v1/counters/1/call-next", headers=tokens["officer"])
    real_values = {
        "number": 1, "ticket_id": tickets[0]["id"], "ticket": tickets[1]["id"], "token": tickets[0]["status_url"].rsplit("/", 1)[1],
        "code": "HT", "service": "HT", "field": "TP", "kiosk": "k1", "counter": 2, "username": "binh",
        "device_id": "tab-1", "level": "satisfied", "key": "announcement",
        "from": "2026-11-01", "to": "2026-11-30", "quarter": "2026-Q4", "limit": 10,
    }
    return app, tokens, real_values


def assert_refusal_changed_nothing(response, database, before):
    """An error is {error, message}, and a refused request left every table as it was."""
    if response.status_code >= 400:
        body = response.json
        body = body() if callable(body) else body  # schemathesis' Response or Flask's test response
        assert isinstance(body.get("error"), str) and isinstance(body.get("message"), str), body
        assert database_digest(database) == before, f"{response.status_code} {body} changed the database"


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{method} {path}" for method, path in OPERATIONS])
def test_operation_never_fails_and_its_refusals_change_nothing(fuzzed, client, method, path):
    """Answers that are 500s today (fuzzing): generated and absurd path parameters, query
    strings, headers and bodies, anonymous and with the role's token: never a 5xx, the
    documented status codes, content types and schemas, errors as {error, message}, and
    the database unchanged by every refused request."""
    fuzz(*fuzzed, method, path)
    sweep_absurd(*fuzzed, client, method, path)


def fuzz(app, tokens, real_values, method, path):
    """Schemathesis' cases, valid and invalid, some with the center's real ids."""
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]
    roles = operation.definition.raw.get("x-roles")
    cases = strategies.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    database = app.extensions["layso.settings"].db_path

    @FUZZ_SETTINGS
    @given(case=cases, with_token=strategies.booleans(), real=strategies.booleans())
    def one_case(case, with_token, real):
        if roles and with_token:  # else the generated (or no) Authorization header stays: a 401 to check
            case.headers = {**(case.headers or {}), **tokens[roles[0]]}
        if real:  # reach past "no such counter/service": the center's own ids in the path, query and body
            for part in ("path_parameters", "query", "body"):
                sent = getattr(case, part)
                if isinstance(sent, dict):
                    setattr(case, part, {**sent, **{name: value for name, value in real_values.items() if name in sent}})
        before = database_digest(database)
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        assert_refusal_changed_nothing(response, database, before)

    one_case()


# The absurd, put in every parameter and body field in turn (style: "test the empty and the absurd").
ABSURD = [10**40, -(10**40), "99999999999999999999999", "²", "٣", "-1", "0000-01-01", "9999-12", "9999-Q4",
          "K" * 250_000, "", None, True, 1.5, [], {}]
ABSURD_BODIES = ["[" * 100_000, "NaN", '{"a": 1e400}', '{"a": "\\ud800"}', b"\xff\xfe", "[]", '"x"']


def _base_request(definition: dict, path: str, real_values: dict) -> tuple[dict, dict, dict | None]:
    """Path parameters, query and body that the operation takes, filled with real values."""
    def value(name, schema):
        if name in real_values:
            return real_values[name]
        return {"integer": 1, "boolean": True, "array": [], "object": {}}.get(schema.get("type"), "x")

    parameters = definition.get("parameters", [])
    path_values = {item["name"]: value(item["name"], item["schema"]) for item in parameters if item["in"] == "path"}
    query = {item["name"]: value(item["name"], item["schema"]) for item in parameters
             if item["in"] == "query" and item.get("required")}
    body_schema = definition.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    body = None
    if body_schema is not None:
        properties = body_schema.get("properties", {})
        body = {name: value(name, properties[name]) for name in body_schema.get("required", [])}
    return path_values, query, body


def sweep_absurd(app, tokens, real_values, client, method, path):
    """Integers beyond 64 bits, Unicode digits, years 0000 and 9999, 250 KB strings and
    wrong types in every path parameter, query parameter and body field in turn, and
    bodies of 100,000 '[', NaN, 1e400 or an unpaired surrogate: a documented answer."""
    definition = document()["paths"][path][method.lower()]
    documented = {int(code) for code in definition["responses"]}
    roles = definition.get("x-roles")
    headers = tokens[roles[0]] if roles else {}
    database = app.extensions["layso.settings"].db_path
    path_values, query, body = _base_request(definition, path, real_values)
    slots = [("path", name) for name in path_values]
    slots += [("query", item["name"]) for item in definition["parameters"] if item["in"] == "query"]
    if body is not None:
        properties = definition["requestBody"]["content"]["application/json"]["schema"].get("properties", {})
        slots += [("body", name) for name in properties]

    def send(path_values, query, **request):
        url = "/api/v1" + path.format(**{name: str(value) for name, value in path_values.items()})
        before = database_digest(database)
        response = client.open(url, method=method, query_string=query, headers=headers, **request)
        assert response.status_code in documented, (url, query, request.get("json"), response.status_code, response.get_json())
        assert_refusal_changed_nothing(response, database, before)

    for (where, name), absurd in itertools.product(slots, ABSURD):
        if where == "path":
            if isinstance(absurd, (str, int)) and absurd != "" and len(str(absurd)) < 1000:
                send({**path_values, name: absurd}, query, json=body)
        elif where == "query":
            if isinstance(absurd, (str, int)) and not isinstance(absurd, bool):
                send(path_values, {**query, name: str(absurd)}, json=body)
        else:
            send(path_values, query, json={**body, name: absurd})
    if body is not None:
        for raw in ABSURD_BODIES:
            send(path_values, query, data=raw, content_type="application/json")
