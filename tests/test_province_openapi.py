"""The province hub's API as an OpenAPI 3.1 document (docs/hub.md, "The hub's API"): served
by the hub at GET /api/v1/openapi.json, listing exactly the hub's routes, and every
operation fuzzed from it (schemathesis, tests/openapi_fuzz.py) against a hub on a real
PostgreSQL and Redis: no 5xx, every error is {error, message}, answers match the documented
schemas, and a refused request changes nothing the hub holds."""

import pytest
import schemathesis
from openapi_spec_validator import validate

from layso.web.province_openapi import document
from tests.openapi_fuzz import fuzz, operations, served_routes, sweep_absurd
from tests.province_data import hub_digest, login

pytestmark = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
OPERATIONS = operations(document())


def test_hub_serves_its_own_openapi_document(hub_client):
    answer = hub_client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.json == document()
    assert document()["info"]["title"] == "LấySố province hub API"
    validate(document())
    schemathesis.openapi.from_dict(document())


def test_every_hub_route_is_in_the_hub_document_and_every_documented_one_exists(hub_app):
    assert served_routes(hub_app) == set(OPERATIONS)


@pytest.fixture
def fuzzed(hub_app, hub_client):
    """The demo province (centers demo-1…3, accounts tinh and admin), a token per role the
    document names, and real values by name."""
    tokens = {"province_manager": login(hub_client, "tinh"), "admin": login(hub_client, "admin"),
              "center": {"Authorization": "Bearer demo-hub-token-1"}}
    real_values = {"center": "demo-1", "code": "demo-1", "username": "tinh", "from": "2026-11-01", "to": "2026-11-30"}
    return hub_app, tokens, real_values


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{method} {path}" for method, path in OPERATIONS])
def test_hub_operation_never_fails_and_its_refusals_change_nothing(fuzzed, hub_client, hub_database_url, method, path):
    app, tokens, real_values = fuzzed

    def digest():
        return hub_digest(hub_database_url)

    fuzz(app, tokens, real_values, method, path, digest)
    sweep_absurd(document(), tokens, real_values, hub_client, method, path, digest)
