"""Issue 18: the hub's audit log (docs/hub.md, "Audit log"). Every admin action and a password
change by its owner leaves exactly one entry — who, what, when, never a token or a password —
written in the change's own transaction, so a change that rolls back leaves none and none is
kept without its entry; only an admin reads them (GET /api/v1/admin/audit). What the command
line changes is in it too, as ``cli:<system user>``'s; the demo's seeding is not."""

import getpass
import json

import psycopg
import pytest

from layso.province import accounts, centers
from layso.province.audit import command_line_actor
from layso.province.demo import seed_demo
from tests.province_data import login
from tests.province_hub import COMMAND_PASSWORD, run_command

PASSWORD = "Thu-Thiem-2026-xanh"


@pytest.fixture
def database(hub_app):
    with hub_app.extensions["province.pool"].connection() as connection:
        yield connection


def stored(database) -> list[tuple]:
    return database.execute("SELECT actor, action, target, detail FROM hub_audit ORDER BY id").fetchall()


ACTIONS = [
    ("/api/v1/admin/centers", {"code": "xa-phu-vinh", "name": "Trung tâm xã Phú Vinh"},
     ("admin", "center.registered", "xa-phu-vinh", {"name": "Trung tâm xã Phú Vinh"})),
    ("/api/v1/admin/centers/demo-1/token", None, ("admin", "center.token_rotated", "demo-1", {})),
    ("/api/v1/admin/centers/demo-3", {"active": False}, ("admin", "center.deactivated", "demo-3", {})),
    ("/api/v1/admin/centers/demo-2", {"name": "Phường Phú Xuân mới"},
     ("admin", "center.renamed", "demo-2", {"name": "Phường Phú Xuân mới", "was": "Trung tâm Phục vụ hành chính công phường Phú Xuân"})),
    ("/api/v1/admin/accounts", {"username": "lan.nguyen", "name": "Nguyễn Thị Lan", "role": "province_manager",
                                "password": PASSWORD},
     ("admin", "account.added", "lan.nguyen", {"name": "Nguyễn Thị Lan", "role": "province_manager"})),
    ("/api/v1/admin/accounts/tinh", {"role": "admin"},
     ("admin", "account.role_changed", "tinh", {"role": "admin", "was": "province_manager"})),
    ("/api/v1/admin/accounts/tinh", {"active": False}, ("admin", "account.deactivated", "tinh", {})),
    ("/api/v1/admin/accounts/tinh/reset-password", None, ("admin", "account.password_reset", "tinh", {})),
]


@pytest.mark.parametrize("url, body, entry", ACTIONS, ids=[entry[1] for _, _, entry in ACTIONS])
def test_each_admin_action_leaves_exactly_one_entry_without_secrets(hub_client, hub_admin, database, url, body, entry):
    answer = hub_client.post(url, json=body, headers=hub_admin)
    assert answer.status_code in (200, 201), answer.json
    assert stored(database) == [entry]
    secrets = [answer.json.get("token"), answer.json.get("password"), PASSWORD, "demo-hub-token-1"]
    row_text = json.dumps(database.execute("SELECT to_jsonb(hub_audit) FROM hub_audit").fetchall(), ensure_ascii=False)
    assert not [secret for secret in secrets if secret and secret in row_text]


def test_making_a_center_and_an_account_active_again_is_one_entry_each(hub_client, hub_admin, database):
    for url in ("/api/v1/admin/centers/demo-3", "/api/v1/admin/accounts/tinh"):
        hub_client.post(url, json={"active": False}, headers=hub_admin)
        hub_client.post(url, json={"active": True}, headers=hub_admin)
    assert [action for _, action, _, _ in stored(database)] == [
        "center.deactivated", "center.reactivated", "account.deactivated", "account.reactivated"]


def test_a_password_changed_by_its_owner_is_theirs_in_the_log(hub_client, database):
    answer = hub_client.post("/api/v1/auth/password", headers=login(hub_client, "tinh"),
                         json={"old_password": "demo", "new_password": "Song-Huong-chay-mai"})
    assert answer.status_code == 200
    assert stored(database) == [("tinh", "account.password_changed", "tinh", {})]
    assert "Song-Huong-chay-mai" not in json.dumps(database.execute("SELECT to_jsonb(hub_audit) FROM hub_audit").fetchall())


def test_what_changes_nothing_or_is_refused_leaves_no_entry(hub_client, hub_admin, database):
    refused = [
        ("/api/v1/admin/centers", {"code": "demo-1", "name": "Trùng mã"}, 409),
        ("/api/v1/admin/centers/khong-co/token", None, 404),
        ("/api/v1/admin/centers/demo-1", {"active": "no"}, 400),
        ("/api/v1/admin/accounts/admin", {"role": "province_manager"}, 409),
        ("/api/v1/admin/accounts/khong-co/reset-password", None, 404),
        ("/api/v1/admin/accounts/tinh", {"role": "province_manager"}, 200),  # its role already
    ]
    for url, body, status in refused:
        assert hub_client.post(url, json=body, headers=hub_admin).status_code == status, url
    wrong = hub_client.post("/api/v1/auth/password", headers=login(hub_client, "tinh"),
                        json={"old_password": "sai", "new_password": "Song-Huong-chay-mai"})
    assert wrong.status_code == 403
    assert stored(database) == []


def test_what_the_command_line_changes_is_audited_as_its_system_user(hub_client, hub_admin, database,
                                                                      hub_database_url):
    def done(*arguments, password=COMMAND_PASSWORD):
        answer = run_command(hub_database_url, *arguments, password=password)
        assert answer.returncode == 0, answer.stderr
        return answer

    cli = command_line_actor()
    made = done("--register-center", "xa-phu-vinh", "Trung tâm xã Phú Vinh")
    hub_client.post("/api/v1/admin/centers/demo-3", json={"active": False}, headers=hub_admin)
    again = done("--register-center", "demo-3", "Phường Phú Vinh mới")
    done("--add-account", "lan.nguyen", "province_manager")
    done("--add-account", "tinh", "admin", password=PASSWORD)  # its name stays: the command line gives none
    assert stored(database) == [
        (cli, "center.registered", "xa-phu-vinh", {"name": "Trung tâm xã Phú Vinh"}),
        ("admin", "center.deactivated", "demo-3", {}),
        (cli, "center.token_rotated", "demo-3", {}),
        (cli, "center.renamed", "demo-3", {"name": "Phường Phú Vinh mới",
                                           "was": "Trung tâm Phục vụ hành chính công xã Phú Vinh"}),
        (cli, "center.reactivated", "demo-3", {}),
        (cli, "account.added", "lan.nguyen", {"name": "lan.nguyen", "role": "province_manager"}),
        (cli, "account.role_changed", "tinh", {"role": "admin", "was": "province_manager"}),
        (cli, "account.password_set", "tinh", {}),
    ]
    assert database.execute("SELECT name FROM accounts WHERE username = 'tinh'").fetchone() == ("Lãnh đạo tỉnh (demo)",)
    row_text = json.dumps(database.execute("SELECT to_jsonb(hub_audit) FROM hub_audit").fetchall(), ensure_ascii=False)
    tokens = [answer.stdout.strip().rsplit("=", 1)[1] for answer in (made, again)]
    assert not [secret for secret in [*tokens, COMMAND_PASSWORD, PASSWORD] if secret in row_text]
    newest = hub_client.get("/api/v1/admin/audit?limit=1", headers=hub_admin).json["entries"][0]
    assert cli == f"cli:{getpass.getuser()}"
    assert newest["shown"]["vi"]["actor"] == f"Dòng lệnh ({getpass.getuser()})"
    assert newest["shown"]["en"]["actor"] == f"Command line ({getpass.getuser()})"


def test_a_refused_command_leaves_no_entry(database, hub_database_url):
    assert run_command(hub_database_url, "--register-center", "Xã Phú Vinh", "Trung tâm").returncode == 2
    assert run_command(hub_database_url, "--add-account", "lan.nguyen", "officer").returncode == 2
    impostor = run_command(hub_database_url, "--add-account", "cli:root", "admin")  # would pass for the command line
    assert impostor.returncode == 2 and "username: 2 to 32 lower-case letters" in impostor.stderr, impostor.stderr
    assert stored(database) == []
    assert database.execute("SELECT count(*) FROM accounts WHERE username = 'cli:root'").fetchone() == (0,)


def test_the_demo_s_seeding_is_not_audited(database):
    seed_demo(database, method="pbkdf2:sha256:1000")  # as every start of a --demo hub does
    assert stored(database) == []


def fail_on(database, event: str, table: str) -> None:
    """A trigger that makes every ``event`` on ``table`` fail, as a full disk or a lost
    connection would, part way through a change's transaction."""
    database.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$")
    database.execute(f"CREATE TRIGGER refuse BEFORE {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION refuse()")


def test_a_change_rolled_back_after_its_entry_leaves_no_entry(hub_client, database):
    login(hub_client, "tinh")  # a session to end: the deactivation deletes it after writing the entry
    fail_on(database, "DELETE", "account_tokens")
    with pytest.raises(psycopg.errors.RaiseException):
        accounts.change_account(database, "tinh", by="admin", active=False)
    assert stored(database) == []
    assert database.execute("SELECT active FROM accounts WHERE username = 'tinh'").fetchone() == (True,)


def test_a_change_whose_entry_cannot_be_written_is_not_kept(database):
    fail_on(database, "INSERT", "hub_audit")
    with pytest.raises(psycopg.errors.RaiseException):
        centers.create_center(database, "xa-phu-vinh", "Trung tâm xã Phú Vinh", by="admin")
    assert centers.center_by_code(database, "xa-phu-vinh") is None


def test_the_latest_entries_newest_first_worded_in_both_languages(hub_client, hub_admin):
    hub_client.post("/api/v1/admin/accounts/tinh", json={"role": "admin"}, headers=hub_admin)
    hub_client.post("/api/v1/admin/centers/demo-1/token", headers=hub_admin)
    answer = hub_client.get("/api/v1/admin/audit", headers=hub_admin)
    assert answer.status_code == 200
    newest, older = answer.json["entries"]
    assert (newest["action"], newest["target"], newest["actor"]) == ("center.token_rotated", "demo-1", "admin")
    assert newest["shown"]["vi"]["action"] == "Cấp mã truy cập mới" and newest["shown"]["en"]["action"] == "New hub token"
    assert older["shown"]["vi"]["detail"] == "Lãnh đạo tỉnh → Quản trị"
    assert older["shown"]["en"]["detail"] == "Province manager → Administrator"
    assert newest["at"].endswith("+07:00") and len(newest["shown"]["vi"]["at"]) == len("05/12/2026 09:15")
    page = hub_client.get(f"/api/v1/admin/audit?limit=1&before={newest['id']}", headers=hub_admin).json["entries"]
    assert [entry["id"] for entry in page] == [older["id"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=abc", "limit=١٢", "before=0",
                                   "before=99999999999999999999999"])
def test_a_bad_page_of_the_log_is_a_400_in_the_page_s_language(hub_client, hub_admin, query):
    answer = hub_client.get(f"/api/v1/admin/audit?{query}", headers=hub_admin | {"X-Layso-Language": "en"})
    assert answer.status_code == 400 and set(answer.json) == {"error", "message"}
    assert "must be a whole number" in answer.json["message"]


def test_only_an_admin_reads_the_log(hub_client):
    assert hub_client.get("/api/v1/admin/audit").status_code == 401
    assert hub_client.get("/api/v1/admin/audit", headers=login(hub_client, "tinh")).status_code == 403
    assert hub_client.get("/api/v1/admin/audit", headers={"Authorization": "Bearer demo-hub-token-1"}).status_code == 401
