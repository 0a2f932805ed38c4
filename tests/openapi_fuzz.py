"""Fuzzing an API from its OpenAPI document, for the center (tests/test_openapi.py) and the
province hub (tests/test_province_openapi.py): schemathesis' cases and a sweep of absurd
values through every operation. Never a 5xx; the documented status codes, content types and
schemas; errors as {error, message}; and ``digest()`` (a checksum of everything stored) the
same before and after every refused request."""

import itertools
import os
import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

# Bounded and derandomized, so CI runs the same cases in about a minute on a busy 2-core
# machine; LAYSO_FUZZ_EXAMPLES=500 hunts deeper by hand.
EXAMPLES = int(os.environ.get("LAYSO_FUZZ_EXAMPLES", "20"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def operations(document: dict) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation of the document, sorted."""
    return sorted((method.upper(), path) for path, item in document["paths"].items() for method in item)


def served_routes(app, expand: dict | None = None) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/v1 route of ``app``; a route parameter named in
    ``expand`` (the counters' ``<action>``) is one path per value it takes."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        paths = [path]
        for name, values in (expand or {}).items():
            if f"{{{name}}}" in path:
                paths = [each.replace(f"{{{name}}}", value) for each in paths for value in values]
        routes |= {(method, each) for method in rule.methods - {"HEAD", "OPTIONS"} for each in paths}
    return routes


def assert_refusal_changed_nothing(response, digest, before):
    """An error is {error, message}, and a refused request left everything stored as it was."""
    if response.status_code >= 400:
        body = response.json
        body = body() if callable(body) else body  # schemathesis' Response or Flask's test response
        assert isinstance(body.get("error"), str) and isinstance(body.get("message"), str), body
        assert digest() == before, f"{response.status_code} {body} changed what is stored"


def fuzz(app, tokens, real_values, method, path, digest):
    """Schemathesis' cases, valid and invalid, from the document ``app`` serves at
    /api/v1/openapi.json, anonymous or with the token of the operation's first role, some
    with real ids (path parameters, query and body fields by name)."""
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]
    roles = operation.definition.raw.get("x-roles")
    cases = strategies.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @FUZZ_SETTINGS
    @given(case=cases, with_token=strategies.booleans(), real=strategies.booleans())
    def one_case(case, with_token, real):
        if roles and with_token:  # else the generated (or no) Authorization header stays: a 401 to check
            case.headers = {**(case.headers or {}), **tokens[roles[0]]}
        if real:  # reach past "no such thing": real ids in the path, query and body
            for part in ("path_parameters", "query", "body"):
                sent = getattr(case, part)
                if isinstance(sent, dict):
                    setattr(case, part, {**sent, **{name: value for name, value in real_values.items() if name in sent}})
        before = digest()
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        assert_refusal_changed_nothing(response, digest, before)

    one_case()


# The absurd, put in every parameter and body field in turn (style: "test the empty and the absurd").
ABSURD = [10**40, -(10**40), "99999999999999999999999", "²", "٣", "-1", "0000-01-01", "9999-12", "9999-Q4",
          "K" * 250_000, "", None, True, 1.5, [], {}]
ABSURD_BODIES = ["[" * 100_000, "NaN", '{"a": 1e400}', '{"a": "\\ud800"}', b"\xff\xfe", "[]", '"x"']


def _base_request(definition: dict, real_values: dict) -> tuple[dict, dict, dict | None]:
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


def sweep_absurd(document, tokens, real_values, client, method, path, digest):
    """Integers beyond 64 bits, Unicode digits, years 0000 and 9999, 250 KB strings and
    wrong types in every path parameter, query parameter and body field in turn, and
    bodies of 100,000 '[', NaN, 1e400 or an unpaired surrogate: a documented answer."""
    definition = document["paths"][path][method.lower()]
    documented = {int(code) for code in definition["responses"]}
    roles = definition.get("x-roles")
    headers = tokens[roles[0]] if roles else {}
    path_values, query, body = _base_request(definition, real_values)
    slots = [("path", name) for name in path_values]
    slots += [("query", item["name"]) for item in definition["parameters"] if item["in"] == "query"]
    if body is not None:
        properties = definition["requestBody"]["content"]["application/json"]["schema"].get("properties", {})
        slots += [("body", name) for name in properties]

    def send(path_values, query, **request):
        url = "/api/v1" + path.format(**{name: str(value) for name, value in path_values.items()})
        before = digest()
        response = client.open(url, method=method, query_string=query, headers=headers, **request)
        assert response.status_code in documented, (url, query, request.get("json"), response.status_code, response.get_json())
        assert_refusal_changed_nothing(response, digest, before)

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
