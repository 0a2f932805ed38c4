"""Issue 20, "Watch it": one log line per event that matters, optional JSON lines, phone
numbers masked in every line."""

import io
import json
import logging

import pytest

from layso import logs
from layso.admin.accounts import register_device
from layso.errors import Conflict
from layso.events import Event, KIOSK_ALERT, PRINTER_PAPER_LOW


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize("text, masked", [
    ("gọi 0912345678 lúc 9 giờ", "gọi 09xx xxx 678 lúc 9 giờ"),
    ("+84912345678", "09xx xxx 678"),
    ("84912345678;", "09xx xxx 678;"),
    ("0912 345 678", "09xx xxx 678"),
    ("0912.345.678", "09xx xxx 678"),
    ("landline 02343823456", "landline 02xx xxxx 456"),
    ("ticket A015 at counter 3, id 123456789012345", "ticket A015 at counter 3, id 123456789012345"),
    ("", ""),
])
def test_phone_numbers_are_masked_and_other_numbers_kept(text, masked):
    assert logs.mask_phones(text) == masked


def test_json_lines_hold_time_level_logger_message_and_the_exception_masked(restore_logging):
    stream = io.StringIO()
    logs.configure("json", stream=stream)
    logging.getLogger("layso.test").info("notice to %s sent", "+84912345678")
    try:
        raise ValueError("no answer from 0987654321")
    except ValueError:
        logging.getLogger("layso.test").exception("sending failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "INFO" and first["logger"] == "layso.test" and first["message"] == "notice to 09xx xxx 678 sent"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "09xx xxx 321" in second["exception"] and "0987654321" not in second["exception"]


def test_text_lines_are_masked_too_and_an_unknown_format_is_refused(restore_logging):
    stream = io.StringIO()
    logs.configure("text", stream=stream)
    logging.getLogger("layso.test").warning("citizen 0912345678 waits")
    assert stream.getvalue().rstrip().endswith("WARNING layso.test: citizen 09xx xxx 678 waits")
    with pytest.raises(ValueError, match="json"):
        logs.configure("xml")


def test_a_set_up_change_is_logged_once_committed_and_not_when_refused(db, now, caplog):
    caplog.set_level(logging.INFO, logger="layso.audit")
    register_device(db, {"id": "k9", "kind": "kiosk", "name": "Kiosk 9"}, by="quantri", now=now)
    with pytest.raises(Conflict):
        register_device(db, {"id": "k9", "kind": "kiosk", "name": "Kiosk 9"}, by="quantri", now=now)
    lines = [record.getMessage() for record in caplog.records if record.name == "layso.audit"]
    assert lines == ['device.register by quantri: {"id": "k9", "kind": "kiosk", "counter": null}']
    assert db.committed_lines == []


def test_printer_trouble_and_recovery_are_one_line_each(caplog):
    caplog.set_level(logging.INFO, logger="layso.events")
    logs.log_event(Event(KIOSK_ALERT, {"kiosk": "k1", "error": "paper_out", "ticket_number": "A015", "resolved": False}))
    logs.log_event(Event(KIOSK_ALERT, {"kiosk": "k1", "error": None, "resolved": True}))
    logs.log_event(Event(PRINTER_PAPER_LOW, {"kiosk": "k2", "low": True}))
    logs.log_event(Event("ticket.issued", {"ticket": {"number": "A016"}}))
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", "kiosk k1: printer out of order (paper_out), ticket A015 not printed"),
        ("INFO", "kiosk k1: printer prints again"),
        ("WARNING", "kiosk k2: paper near its end"),
    ]


def test_the_server_logs_json_lines_from_its_start(live_server):
    live_server.start(env={"LAYSO_LOG_FORMAT": "json"})
    live_server.stop()
    lines = [line for line in live_server.output().splitlines() if line.strip() and not line.startswith("LAYSO READY")]
    records = [json.loads(line) for line in lines]
    started = [record for record in records if record["logger"] == "layso.server"]
    assert started and "config" in started[0]["message"] and "demo" in started[0]["message"]
