"""The admin's settings for citizen reach (remote numbers, appointment slots, the notice
gateway) refused in the page's language, naming the key; the admin page's fields take their
min and max from the same ranges the server checks with, so the two never disagree."""

import re

import pytest

from layso.admin.center import setting_ranges
from layso.notify.config import NotifyConfigError, check_notify
from layso.queue import remote, slots
from layso.queue.remote import check_remote_config
from layso.reports import formats
from layso.errors import InvalidInput

ENGLISH = {"Accept-Language": "en"}


def save(client, admin, key, value, headers=None):
    return client.post(f"/api/v1/admin/settings/{key}", json={"value": value}, headers=admin | (headers or {}))


@pytest.mark.parametrize("value, vi, en", [
    ({"cap_share": 1.5}, "remote.cap_share (phần của số tối đa/ngày dành cho lấy từ xa): phải là số từ 0 đến 1.",
     "remote.cap_share (share of the daily cap): must be a number from 0 to 1."),
    ({"services": {"HT": {"per_phone_per_day": -1}}},
     "remote.services.HT.per_phone_per_day (số lần mỗi số điện thoại được lấy trong ngày): phải là số nguyên từ 0 đến 1.000.",
     "remote.services.HT.per_phone_per_day (numbers per phone per day): must be a whole number from 0 to 1,000."),
    ({"last_issue": "25:00"}, "remote.last_issue (giờ cấp số từ xa cuối cùng): phải là giờ HH:MM, hoặc để trống.",
     "remote.last_issue (last issue time): must be a time, HH:MM, or empty."),
    ({"one_time_code": "yes"}, "remote.one_time_code (mã xác nhận qua SMS): phải là có (true) hoặc không (false).",
     "remote.one_time_code (one-time SMS code): must be true or false."),
    ({"come_when_ahead": 10**6}, "remote.come_when_ahead (mời đến khi còn (người)): phải là số nguyên từ 0 đến 1.000.",
     "remote.come_when_ahead (come when this many are ahead): must be a whole number from 0 to 1,000."),
])
def test_a_wrong_remote_limit_is_refused_in_the_pages_language(client, admin, value, vi, en):
    answer = save(client, admin, "remote", value)
    assert answer.status_code == 400 and answer.get_json()["message"] == vi
    assert save(client, admin, "remote", value, ENGLISH).get_json()["message"] == en


def test_remote_limits_saved_in_the_admin_apply_to_the_next_remote_number(client, admin):
    assert save(client, admin, "remote", {"per_phone_per_day": 2, "close_margin_min": 0}).status_code == 200
    phone = {"service": "HT", "channel": "remote", "phone": "0912 345 678", "consent": True}
    assert [client.post("/api/v1/tickets", json=phone).status_code for _ in range(3)] == [201, 201, 429]


NEAR_HT_RANGE = ("Tin nhắn: notify.near_ahead_by_service.HT: một số nguyên từ 1 đến 50.",
                 "Notices: notify.near_ahead_by_service.HT: a whole number from 1 to 50.")


@pytest.mark.parametrize("value, vi, en", [
    ({"near_ahead": 0}, "Tin nhắn: notify.near_ahead: một số nguyên từ 1 đến 50.",
     "Notices: notify.near_ahead: a whole number from 1 to 50."),
    ({"near_ahead": 51}, "Tin nhắn: notify.near_ahead: một số nguyên từ 1 đến 50.",
     "Notices: notify.near_ahead: a whole number from 1 to 50."),
    ({"near_ahead_by_service": {"HT": 0}}, *NEAR_HT_RANGE),
    ({"near_ahead_by_service": {"HT": 51}}, *NEAR_HT_RANGE),
    ({"near_ahead_by_service": {"HT": 2**63 - 1}}, *NEAR_HT_RANGE),
    ({"near_ahead_by_service": {"HT": 2**63}}, *NEAR_HT_RANGE),  # past 64 bits: its field's range, not "too large"
    ({"near_ahead_by_service": {"HT": 2.5}}, *NEAR_HT_RANGE),
    ({"near_ahead_by_service": {"HT": "٣"}}, *NEAR_HT_RANGE),  # an Arabic-Indic 3 is text, not a number
    ({"near_ahead_by_service": {"HT": True}}, *NEAR_HT_RANGE),
    ({"near_ahead_by_service": [3]}, "Tin nhắn: notify.near_ahead_by_service: một bảng mã dịch vụ = số.",
     "Notices: notify.near_ahead_by_service: a table of service code = number."),
    ({"near_ahead_by_service": {"XYZ": 3}}, "notify.near_ahead_by_service.XYZ: không có dịch vụ này.",
     "notify.near_ahead_by_service.XYZ: no such service."),
    ({"near_ahead_by_service": {"Đ" * 5000: 3}}, f"notify.near_ahead_by_service.{'Đ' * 40}: không có dịch vụ này.",
     f"notify.near_ahead_by_service.{'Đ' * 40}: no such service."),
])
def test_a_wrong_n_people_ahead_is_refused_in_the_pages_language(client, admin, value, vi, en):
    answer = save(client, admin, "notify", value)
    assert answer.status_code == 400 and answer.get_json() == {"error": "invalid_input", "message": vi}
    assert save(client, admin, "notify", value, ENGLISH).get_json()["message"] == en


@pytest.mark.parametrize("value, vi, en", [
    ({"timeout_s": 0}, "Tin nhắn: notify.timeout_s: một số từ 0,1 đến 120.", "Notices: notify.timeout_s: a number from 0.1 to 120."),
    ({"timeout_s": 121}, "Tin nhắn: notify.timeout_s: một số từ 0,1 đến 120.", "Notices: notify.timeout_s: a number from 0.1 to 120."),
    ({"max_backoff_s": "10"}, "Tin nhắn: notify.max_backoff_s: một số từ 0,1 đến 3.600.",
     "Notices: notify.max_backoff_s: a number from 0.1 to 3,600."),
    ({"give_up_s": 0.5}, "Tin nhắn: notify.give_up_s: một số từ 1 đến 604.800.",
     "Notices: notify.give_up_s: a number from 1 to 604,800."),
    ({"give_up_s": 2**63 - 1}, "Tin nhắn: notify.give_up_s: một số từ 1 đến 604.800.",
     "Notices: notify.give_up_s: a number from 1 to 604,800."),
])
def test_a_wrong_gateway_timing_is_refused_in_the_pages_language(client, admin, value, vi, en):
    answer = save(client, admin, "notify", value)
    assert answer.status_code == 400 and answer.get_json() == {"error": "invalid_input", "message": vi}
    assert save(client, admin, "notify", value, ENGLISH).get_json()["message"] == en


def test_a_services_n_people_ahead_takes_exactly_the_center_values_range():
    low, high = setting_ranges()["notify"]["near_ahead"]
    per_service = lambda number: {"near_ahead_by_service": {"HT": number}}
    assert not _refused(check_notify, per_service(low)) and not _refused(check_notify, per_service(high))
    assert _refused(check_notify, per_service(low - 1)) and _refused(check_notify, per_service(high + 1))


def test_a_wrong_gateway_key_is_refused_in_the_pages_language(client, admin):
    value = {"sms": {"headers": "X-Api-Key: {token}"}}
    assert save(client, admin, "notify", value).get_json()["message"] == (
        "Tin nhắn: notify.sms.headers: một bảng tên header = giá trị.")
    assert save(client, admin, "notify", value, ENGLISH).get_json()["message"] == (
        "Notices: notify.sms.headers: a table of header = text.")
    odd = save(client, admin, "notify", {"sms": {"success_status": [True]}})
    assert odd.status_code == 400 and "success_status" in odd.get_json()["message"]


def test_the_admin_view_says_whether_each_token_is_set_and_never_its_value(make_client):
    client = make_client(notify_env={"zns_token": "zalo-s3cret"})
    admin = client.post("/api/v1/auth/login", json={"username": "quantri", "password": "quantri-password-1"}).get_json()
    headers = {"Authorization": f"Bearer {admin['token']}"}
    client.post("/api/v1/auth/password", headers=headers, json={"old_password": "quantri-password-1",
                                                                 "new_password": "Sông Hương mùa thu 2026"})
    view = client.get("/api/v1/admin/notify", headers=headers).get_json()
    assert (view["environment"]["sms_token"], view["environment"]["zns_token"]) == (False, True)
    assert "zalo-s3cret" not in str(view)
    page = client.get("/admin", headers=headers).get_data(as_text=True)
    assert "zalo-s3cret" not in page


def _refused(check, value) -> bool:
    try:
        check(value)
    except (InvalidInput, NotifyConfigError):
        return True
    return False


@pytest.mark.parametrize("setting, check, wrap", [
    ("remote", check_remote_config, lambda key, number: {key: number}),
    ("appointments", lambda value: slots.check_settings(value, services={"HT"}),
     lambda key, number: ({"services": {"HT": [{"every_min": 15, "capacity": 1, key: number}]}}
                          if key in slots.RULE_LIMITS else {key: number})),
    ("notify", check_notify, lambda key, number: {key: number}),
])
def test_each_fields_min_and_max_are_exactly_what_the_server_accepts(setting, check, wrap):
    for key, (low, high) in setting_ranges()[setting].items():
        assert not _refused(check, wrap(key, low)) and not _refused(check, wrap(key, high)), key
        step = 0.05 if isinstance(low, float) or key == "cap_share" else 1
        assert _refused(check, wrap(key, low - step)) and _refused(check, wrap(key, high + step)), key


# concurrency is read when the sender starts: set in the config file, not on the page
NOT_ON_PAGE = {"concurrency"}


def test_the_admin_page_has_every_range_on_its_fields_and_the_remote_defaults(client, admin):
    page = client.get("/admin", headers=admin).get_data(as_text=True)
    assert "&#34;cap_share&#34;: 0.3" in page and "&#34;come_when_ahead&#34;: 5" in page  # shown where none is set
    for setting in ("remote", "appointments", "notify"):
        for key, (low, high) in setting_ranges()[setting].items():
            if setting == "notify" and key in NOT_ON_PAGE:
                continue
            assert re.search(rf'name="{key}" type="number" min="{low}" max="{high}"', page), key
    low, high = setting_ranges()["notify"]["near_ahead"]  # a service's own N: the same range
    assert re.search(rf'name="service_near_ahead" type="number" min="{low}" max="{high}"', page)


# What a careless script or a hostile client may send for a number, as JSON text: past SQLite's
# 64 bits (either sign, 400 digits), past a float's range, Unicode digits, a huge string, brackets.
ABSURD = ["9223372036854775808", "-18446744073709551616", "1" + "0" * 400, "1e400", "-1E+400",
          '"٣"', '"²"', '"５"', '"' + "9" * 100_000 + '"', "[" * 50 + "3" + "]" * 50, '{"a": 3}']


def _fields(setting):
    """(how the message names the field, its range, the setting with X where the number goes)
    for every number of ``setting``, each range read from setting_ranges()."""
    ranges = setting_ranges()[setting]
    if setting == "notify":
        yield from ((f"notify.{key}", ranges[key], f'{{"{key}": X}}') for key in ranges)
        yield "notify.near_ahead_by_service.HT", ranges["near_ahead"], '{"near_ahead_by_service": {"HT": X}}'
    elif setting == "remote":
        yield from ((f"remote.{key}", ranges[key], f'{{"{key}": X}}') for key in ranges)
        yield from ((f"remote.services.HT.{key}", ranges[key], f'{{"services": {{"HT": {{"{key}": X}}}}}}')
                    for key in ranges if key in remote.DEFAULTS)
    else:
        yield from ((f"'{key}'", ranges[key], f'{{"{key}": X}}') for key in slots.LIMITS)
        yield from ((f"'{key}'", ranges[key], f'{{"services": {{"HT": [{{"every_min": 15, "capacity": 1, "{key}": X}}]}}}}')
                    for key in slots.RULE_LIMITS)


def _stored(client, admin):
    return (client.get("/api/v1/admin/settings", headers=admin).get_json(),
            client.get("/api/v1/admin/audit", headers=admin).get_json())


@pytest.mark.parametrize("absurd", ABSURD, ids=lambda value: value[:12])
@pytest.mark.parametrize("setting", ["notify", "remote", "appointments"])
def test_an_absurd_number_is_refused_naming_the_field_and_its_range_and_nothing_changes(client, admin, setting,
                                                                                         absurd):
    before = _stored(client, admin)
    for named, (low, high), value in _fields(setting):
        for headers, words in ((admin, f"từ {formats.number(low, None)} đến {formats.number(high, None)}"),
                               (admin | ENGLISH, f"from {formats.number(low, None, 'en')} to "
                                                 f"{formats.number(high, None, 'en')}")):
            answer = client.post(f"/api/v1/admin/settings/{setting}", headers=headers,
                                 data='{"value": ' + value.replace("X", absurd) + "}", content_type="application/json")
            body = answer.get_json()
            assert answer.status_code == 400 and body["error"] == "invalid_input", (named, body)
            assert named in body["message"] and words in body["message"], (named, body["message"])
    assert _stored(client, admin) == before


@pytest.mark.parametrize("value", ['{"sms": {"body": {"Phone": "{phone}", "Type": 1e400}}}',
                                   '{"sms": {"success_value": 18446744073709551616}}'])
def test_an_absurd_number_where_any_value_goes_is_refused_before_it_is_stored(client, admin, value):
    before = _stored(client, admin)
    answer = client.post("/api/v1/admin/settings/notify", headers=admin, data='{"value": ' + value + "}",
                         content_type="application/json")
    assert answer.status_code == 400 and answer.get_json() == {
        "error": "invalid_input", "message": "Tin nhắn SMS/Zalo: có một số quá lớn, không lưu được."}
    assert _stored(client, admin) == before


def test_brackets_too_deep_to_read_are_refused_as_a_body_not_json(client, admin):
    """Past what Python's parser can nest there is no field to name: the body is refused whole."""
    before = _stored(client, admin)
    answer = client.post("/api/v1/admin/settings/notify", headers=admin,
                         data='{"value": {"near_ahead": ' + "[" * 100_000 + "}}", content_type="application/json")
    assert answer.status_code == 400 and answer.get_json()["message"] == "Dữ liệu gửi lên không phải JSON hợp lệ."
    assert _stored(client, admin) == before
