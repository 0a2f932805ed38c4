"""Issue 14, "Checks named in the review that must hold afterwards": everything that held when
the outside review tried the center as an attacker must keep holding. One entry per check,
in the review's order; each names the tests that hold it — those below, and tests elsewhere
that held it already (test_every_check_of_the_review_has_its_tests keeps those names true).

The walks over every operation read the OpenAPI document (GET /api/v1/openapi.json, whose
``x-roles`` say who may call each; tests/test_openapi.py keeps it equal to the routes), so
an endpoint added later is checked without anyone remembering to list it here.
"""

import ast
import io
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

from counter.routes import ACTIONS
from tests.helpers import ROOT, LiveServer

TESTS = Path(__file__).parent
REVIEW = {
    "demo credentials refused outside demo": [
        "test_server.py::test_a_real_center_has_no_demo_accounts",
        "test_security_review.py::test_demo_accounts_and_demo_tablets_are_refused_outside_demo",
    ],
    "every /api/v1 endpoint 401 without auth except the documented public ones": [
        "test_security_review.py::test_every_operation_with_roles_is_401_without_a_login",
        "test_security_review.py::test_every_operation_open_to_anyone_is_documented_as_needing_no_login",
    ],
    "officers 403 on other counters and on manager/admin endpoints": [
        "test_api_auth.py::test_an_officer_cannot_act_on_a_counter_held_by_someone_else",
        "test_security_review.py::test_an_officer_is_refused_every_action_on_a_counter_someone_else_holds",
        "test_security_review.py::test_every_operation_refuses_the_roles_it_does_not_name",
    ],
    "managers 403 on admin": [
        "test_backup.py::test_manager_cannot_back_up_or_restore",
        "test_security_review.py::test_every_operation_refuses_the_roles_it_does_not_name",
    ],
    "tablet tokens only rate their own counter": [
        "test_rate.py::test_rate_refuses_a_ticket_of_another_counter",
        "test_console_races.py::test_a_rating_that_must_not_count_is_refused_and_nothing_is_stored",
        "test_security_review.py::test_every_operation_refuses_the_roles_it_does_not_name",
    ],
    "CSRF on every cookie write": [
        "test_api_auth.py::test_cookie_session_writes_need_the_csrf_token",
        "test_cookies.py::test_item_8_a_cookie_session_logout_needs_the_csrf_token",
        "test_security_review.py::test_every_cookie_write_without_the_csrf_token_is_403_and_changes_nothing",
    ],
    "no stored XSS across every editable text in all pages": [
        "browser/test_stored_xss.py::test_every_editable_text_shows_as_text_on_every_page",
    ],
    "report parameters validated": [
        "test_api_reports.py::test_bad_report_input_is_a_400_naming_the_field",
        "test_api_reports.py::test_bad_quarter_is_a_400",
        "test_api_reports.py::test_public_page_refuses_a_bad_month",
        "test_api_bad_input.py::test_years_out_of_range_are_400",
    ],
    "path traversal 404": [
        "test_display_pages.py::test_audio_route_refuses_names_that_are_not_cache_files",
        "test_security_review.py::test_paths_that_climb_out_of_their_folder_are_404",
    ],
    "bad/empty/truncated backups 400": [
        "test_backup.py::test_uploaded_backup_restores_and_a_foreign_file_is_refused",
        "test_restore.py::test_item_4_a_truncated_or_empty_file_is_refused",
        "test_restore.py::test_item_4_a_backup_with_corrupted_pages_is_refused",
    ],
    "10 MB bodies 413": [
        "test_api_errors.py::test_errors_have_one_json_shape",
        "test_security_review.py::test_a_10_mb_body_is_413_on_every_operation_that_takes_one",
    ],
    "kiosk rate limit not bypassed with X-Forwarded-For": [
        "test_proxy.py::test_forwarded_headers_from_a_peer_that_is_not_a_listed_proxy_are_ignored",
        "test_security_review.py::test_x_forwarded_for_does_not_lift_the_kiosk_rate_limit",
    ],
    "2,000 idle sockets and 200 slow clients leave normal requests fast": [
        "test_security_review.py::test_2000_idle_sockets_and_200_slow_clients_leave_requests_answered",
    ],
}

# Values for the OpenAPI document's path parameters: real enough to reach the role check.
PATH_VALUES = {"ticket_id": "1", "number": "1", "code": "HT", "username": "an", "device_id": "tv1",
               "key": "center_name", "name": "layso-20261123-090000.db", "token": "not-a-token"}
AUTH_PATHS = {"/auth/login", "/auth/logout", "/auth/socket-token"}  # the way in and out


def test_every_check_of_the_review_has_its_tests():
    for check, tests in REVIEW.items():
        assert tests, check
        for test in tests:
            module, name = test.split("::")
            tree = ast.parse((TESTS / module).read_text(encoding="utf-8"))
            names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            assert name in names, f"{check}: {test} is gone"


def operations(client):
    """(method, path under /api/v1 with real values, roles or None) for every documented operation."""
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda match: PATH_VALUES[match.group(1)], path)
        for method, operation in methods.items():
            yield method.upper(), path, "/api/v1" + concrete, operation.get("x-roles")


def call(client, method, url, **options):
    return client.open(url, method=method, **options)


# -- demo credentials refused outside demo ----------------------------------------------------

def test_demo_accounts_and_demo_tablets_are_refused_outside_demo(client, app):
    from layso.web.realtime import socketio

    for username in ("canbo1", "lanhdao", "admin"):
        assert client.post("/api/v1/auth/login", json={"username": username, "password": "demo"}).status_code == 401
    rating = client.post("/api/v1/ratings", json={"ticket": 1, "level": "satisfied"},
                         headers={"Authorization": "Bearer demo-tablet-1"})
    assert rating.status_code == 401
    assert not socketio.test_client(app, auth={"role": "tablet", "token": "demo-tablet-1"}).is_connected()


# -- every /api/v1 endpoint 401 without auth except the documented public ones ------------------

def test_every_operation_with_roles_is_401_without_a_login(client):
    checked = 0
    for method, path, url, roles in operations(client):
        if roles:
            answer = call(client, method, url, json={})
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.get_json()["error"] == "unauthorized"
            checked += 1
    assert checked > 40


def test_every_operation_open_to_anyone_is_documented_as_needing_no_login(client):
    guide = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for method, path, url, roles in operations(client):
        if roles or path in AUTH_PATHS:
            continue
        documented = re.sub(r"\{\w+\}", lambda match: "<" + match.group(0)[1:-1].replace("ticket_id", "id") + ">", path)
        section = re.search(rf"### `{method} /api/v1{re.escape(documented)}`[^\n]*\n([^\n]*)", guide)
        assert section and section.group(1).startswith("No login"), f"{method} {path} is open but not documented so"
    assert client.get("/api/v1/auth/socket-token").status_code == 401  # the session's own token, nobody else's


# -- officers 403 on other counters and on manager/admin endpoints; managers 403 on admin;
#    tablet tokens only rate -------------------------------------------------------------------

@pytest.fixture
def tablet_token(client, admin):
    answer = client.post("/api/v1/admin/devices", headers=admin,
                         json={"id": "tablet-review", "kind": "tablet", "name": "Máy tính bảng", "counter": 1})
    return answer.get_json()["token"]


def test_every_operation_refuses_the_roles_it_does_not_name(client, login, manager, tablet_token):
    callers = {"officer": login("an"), "manager": manager, "tablet": {"Authorization": f"Bearer {tablet_token}"}}
    refused = 0
    for method, path, url, roles in operations(client):
        for role, headers in callers.items():
            if roles and role not in roles:
                answer = call(client, method, url, json={}, headers=headers)
                # a user without the role: 403; a device token where a login is needed (or the reverse): 401
                expected = 401 if (role == "tablet") != (roles == ["tablet"]) else 403
                assert answer.status_code == expected, (role, method, path, answer.status_code)
                refused += 1
    assert refused > 50


def test_an_officer_is_refused_every_action_on_a_counter_someone_else_holds(client, login):
    an, binh = login("an"), login("binh")
    assert client.post("/api/v1/counters/2/open", headers=binh).status_code == 200
    bodies = {"call": {"ticket": 1}, "transfer": {"service": "CT"}, "pause": {"reason": "Họp"},
              "dossier": {"dossier_code": "H12.34-261122-0001"}}
    for action in ACTIONS:
        answer = client.post(f"/api/v1/counters/2/{action}", headers=an, json=bodies.get(action, {}))
        expected = (409, "counter_occupied") if action == "open" else (403, "counter_not_held")
        assert (answer.status_code, answer.get_json()["error"]) == expected, action


# -- CSRF on every cookie write ----------------------------------------------------------------

def database_rows(settings) -> list[str]:
    with sqlite3.connect(settings.db_path) as connection:
        return list(connection.iterdump())


PUBLIC_WRITES = ("/auth/login", "/tickets", "/appointments", "/appointments/{code}/reschedule",
                 "/appointments/{code}/check-in", "/appointments/check-in")


def test_every_cookie_write_without_the_csrf_token_is_403_and_changes_nothing(client, admin, settings):
    # `admin` logged in through this client: it holds quantri's session cookie
    assert client.get("/api/v1/auth/me").get_json()["username"] == "quantri"
    before = database_rows(settings)
    writes = 0
    for method, path, url, roles in operations(client):
        # Taking a number, booking, moving a booking and checking in answer anyone, a session grants them nothing:
        # a kiosk or phone page in a browser where someone once logged in must still work without the CSRF token.
        if method != "POST" or path in PUBLIC_WRITES or (roles and "admin" not in roles):
            continue
        answer = call(client, method, url, json={})
        assert answer.status_code == 403 and answer.get_json()["error"] == "forbidden", (path, answer.status_code)
        writes += 1
    assert writes > 25
    assert database_rows(settings) == before
    assert client.get("/api/v1/auth/me").status_code == 200  # logout refused too: still logged in


# -- path traversal 404 ------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/static/../layso/web/auth.py", "/static/%2e%2e/%2e%2e/server.py", "/static/..%2f..%2fserver.py",
    "/static/dashboard/../../dashboard/pages.py", "/static/dashboard/..%2f..%2fpages.py",
    "/vendor/..%2fpackage.json", "/vendor/../../package.json", "/vendor/%2e%2e%2fpackage.json",
    "/api/v1/admin/backups/..%2flayso.db", "/api/v1/admin/backups/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/api/v1/admin/backups/..%5clayso.db", "/kiosk/..%2f..%2fserver.py", "/t/..%2f..%2fserver.py/qr.svg",
    "/display/..%2f..%2fpyproject.toml", "/audio/..%2f..%2flayso.wav",
])
def test_paths_that_climb_out_of_their_folder_are_404(client, admin, path):
    answer = client.get(path, headers=admin)
    assert answer.status_code == 404, (path, answer.status_code)
    body = answer.get_data()
    assert b"SQLite format" not in body and b"import " not in body and b"[project]" not in body


# -- 10 MB bodies 413 --------------------------------------------------------------------------

def test_a_10_mb_body_is_413_on_every_operation_that_takes_one(client, admin, tablet_token):
    body = b'{"x": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    checked = 0
    for method, path, url, roles in operations(client):
        if method != "POST":
            continue
        headers = {"Authorization": f"Bearer {tablet_token}"} if roles == ["tablet"] else admin
        if path in ("/admin/restore", "/admin/voice-pack/import"):
            # a database may be up to 2 GB, a voice pack 100 MB; 10 MB of junk is neither
            answer = call(client, method, url, data={"file": (io.BytesIO(body), "big.db")}, headers=headers)
            assert answer.status_code == 400, answer.status_code
        else:
            answer = call(client, method, url, data=body, content_type="application/json", headers=headers)
            assert answer.status_code == 413, (path, answer.status_code)
            assert answer.get_json()["error"] == "payload_too_large"
        checked += 1
    assert checked > 30


# -- kiosk rate limit not bypassed with X-Forwarded-For -----------------------------------------

def test_x_forwarded_for_does_not_lift_the_kiosk_rate_limit(make_client):
    kiosk = make_client(ticket_rate_limit=3)
    answers = [kiosk.post("/api/v1/tickets", json={"service": "HT"}, headers={"X-Forwarded-For": f"10.9.0.{number}",
                                                                          "X-Real-IP": f"10.9.1.{number}"})
               for number in range(5)]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429, 429]


# -- 2,000 idle sockets and 200 slow clients leave normal requests fast --------------------------

IDLE_SOCKETS = 2000
SLOW_CLIENTS = 200
ANSWER_DEADLINE_S = 5  # liveness only: the figures are in docs/benchmarks.md (bench/bench_fanout.py)


@pytest.mark.slow
def test_2000_idle_sockets_and_200_slow_clients_leave_requests_answered(tmp_path):
    import socket

    server = LiveServer(tmp_path).start()
    idle = subprocess.Popen(["node", str(ROOT / "bench" / "fanout_clients.js"), server.url, str(IDLE_SOCKETS)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    slow = []
    try:
        deadline = time.monotonic() + 120
        line = idle.stdout.readline()  # "READY 2000" once every client has its state
        assert line.startswith("READY") and time.monotonic() < deadline, line
        for _ in range(SLOW_CLIENTS):  # each sends half a request, then nothing
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(b"GET /api/v1/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(connection)
        for _ in range(20):
            assert requests.get(server.url + "/api/v1/state", timeout=ANSWER_DEADLINE_S).status_code == 200
        ticket = requests.post(server.url + "/api/v1/tickets", json={"service": "HT"}, timeout=ANSWER_DEADLINE_S)
        assert ticket.status_code == 201
    finally:
        for connection in slow:
            connection.close()
        idle.kill()
        idle.wait()
        server.stop()
