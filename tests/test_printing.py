"""Ticket printing: the image, the ESC/POS bytes a printer receives, and printer failures."""

import time
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import zxingcpp
from escpos.exceptions import ImageWidthError
from escpos.printer import Dummy

from layso.events import KIOSK_ALERT, PRINTER_PAPER_LOW, TICKET_PRINTED, dashboard_room, kiosk_room
from layso.printing.escpos_bytes import CUT, GS_V0, INIT, decode_raster, raster_bytes, ticket_bytes
from layso.printing.jobs import PrinterQueue
from layso.printing.printers import parse_printer, worth_checking_idle
from layso.printing.render import TicketPrint, render_ticket, ticket_text_lines
from tests.helpers import Published, run_under_gevent

HUE = timezone(timedelta(hours=7))
SERVICE = "Đăng ký khai sinh, kết hôn, lý lịch tư pháp — Sở Tư pháp"


def make_ticket(number="1023", **changes) -> TicketPrint:
    values = dict(
        center_name="Trung tâm Phục vụ hành chính công thành phố Huế",
        number=number,
        service_name=SERVICE,
        ahead=12,
        estimated_wait_s=15 * 60,
        issued_at=datetime(2026, 11, 22, 9, 5, tzinfo=HUE),
        counters=[1, 2, 5],
        status_url="http://192.168.1.10:5000/t/Ab3kLm9QxYzW0pRt5sUv7w",
        footer="Xin vui lòng đánh giá mức độ hài lòng sau khi được phục vụ.",
        priority=False,
    )
    values.update(changes)
    return TicketPrint(**values)



@pytest.fixture
def published():
    return Published()


@pytest.fixture
def make_queue(published):
    """make_queue(port, **config) → a PrinterQueue on 127.0.0.1:port, closed after the test."""
    queues = []
    results = []

    def make(port, *, probe_interval_s=15.0, kiosks=(), **config):
        printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": port, **config})
        queue = PrinterQueue(
            printer, published, probe_interval_s=probe_interval_s, kiosks=kiosks,
            on_result=lambda job, ok, error: results.append((job, ok, error)),
        )
        queue.results = results
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close(timeout_s=5)


# --- the ticket image -----------------------------------------------------------


def test_ticket_text_lines_show_every_part_of_the_ticket_in_nfc():
    decomposed = unicodedata.normalize("NFD", SERVICE)
    lines = ticket_text_lines(make_ticket(service_name=decomposed, priority=True))
    assert lines == [
        "Trung tâm Phục vụ hành chính công thành phố Huế",
        "SỐ THỨ TỰ",
        "1023",
        "ƯU TIÊN",
        SERVICE,
        "Số người đang chờ trước bạn: 12",
        "Thời gian chờ dự kiến: khoảng 15 phút",
        "Quầy phục vụ: 1, 2, 5",
        "Lấy số lúc: 22/11/2026 09:05",
        "Quét mã QR để theo dõi lượt của bạn",
        "Xin vui lòng đánh giá mức độ hài lòng sau khi được phục vụ.",
    ]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_ticket_time_is_printed_in_vietnam_time_and_no_priority_line_for_normal_tickets():
    lines = ticket_text_lines(make_ticket(issued_at=datetime(2026, 11, 22, 2, 5, tzinfo=timezone.utc)))
    assert "Lấy số lúc: 22/11/2026 09:05" in lines
    assert not any(line.startswith("ƯU TIÊN") for line in lines)


def test_naive_issue_time_is_refused():
    with pytest.raises(ValueError, match="issued_at"):
        ticket_text_lines(make_ticket(issued_at=datetime(2026, 11, 22, 9, 5)))


@pytest.mark.parametrize("width", [576, 384])
def test_ticket_image_is_pure_black_and_white_at_the_paper_width(width):
    image = render_ticket(make_ticket(priority=True), width_px=width)
    assert image.mode == "1" and image.width == width
    assert {value for _count, value in image.getcolors()} == {0, 255}
    assert image.height > width  # a ticket, not a strip


def test_different_numbers_draw_different_tickets():
    assert render_ticket(make_ticket("1023")).tobytes() != render_ticket(make_ticket("1024")).tobytes()


# --- ESC/POS bytes --------------------------------------------------------------


@pytest.mark.parametrize(("width", "profile"), [(576, "TM-T20II"), (384, "RP-F10-58mm")])
def test_raster_bytes_equal_python_escpos_bit_image_raster(width, profile):
    image = render_ticket(make_ticket(), width_px=width)
    reference = Dummy(profile=profile)
    reference.image(image, impl="bitImageRaster")
    assert raster_bytes(image) == reference.output


def test_images_taller_than_a_fragment_go_as_several_blocks_and_decode_whole():
    image = render_ticket(make_ticket(service_name=" ".join([SERVICE] * 8)))
    assert image.height > 960
    data = ticket_bytes(image, profile="TM-T20II")
    assert data.count(GS_V0) == 2
    assert decode_raster(data).tobytes() == image.tobytes()


def test_a_58mm_profile_refuses_an_80mm_image():
    with pytest.raises(ImageWidthError):
        ticket_bytes(render_ticket(make_ticket(), width_px=576), profile="POS-5890")


# --- printing to a network printer ------------------------------------------------


@pytest.mark.parametrize(("paper_mm", "width"), [(80, 576), (58, 384)])
def test_network_printer_receives_init_raster_of_paper_width_and_cut(
    fake_printer, make_queue, published, paper_mm, width
):
    queue = make_queue(fake_printer.port, paper_mm=paper_mm)
    ticket = make_ticket()
    queue.submit("job-1", ticket, kiosk="k1")

    [job] = fake_printer.wait_for_jobs(1)
    assert job.startswith(INIT + GS_V0)
    width_bytes = job[len(INIT) + 4] | job[len(INIT) + 5] << 8
    assert width_bytes * 8 == width
    assert job.rfind(CUT) > job.rfind(GS_V0)
    printed = decode_raster(job)
    assert printed.size == render_ticket(ticket, width_px=width).size
    assert printed.tobytes() == render_ticket(ticket, width_px=width).tobytes()
    event = published.wait_for(TICKET_PRINTED, job="job-1")
    assert event.data == {"job": "job-1", "ticket_number": "1023", "kiosk": "k1"}
    assert event.rooms == (kiosk_room("k1"), dashboard_room())
    assert queue.results == [("job-1", True, None)]
    assert queue.printer_ok


@pytest.mark.parametrize("paper_mm", [80, 58])
def test_the_printed_qr_code_scans_to_the_ticket_status_link(fake_printer, make_queue, published, paper_mm):
    """What the printer received, drawn back and scanned as a phone would."""
    make_queue(fake_printer.port, paper_mm=paper_mm).submit("job-1", make_ticket(), kiosk="k1")
    [job] = fake_printer.wait_for_jobs(1)
    [code] = zxingcpp.read_barcodes(decode_raster(job).convert("L"))
    assert (code.format, code.text) == (zxingcpp.BarcodeFormat.QRCode, make_ticket().status_url)


def test_jobs_print_in_the_order_submitted(fake_printer, make_queue, published):
    queue = make_queue(fake_printer.port)
    numbers = [str(1000 + index) for index in range(5)]
    for number in numbers:
        queue.submit(f"job-{number}", make_ticket(number), kiosk="k1")
    jobs = fake_printer.wait_for_jobs(5)
    expected = [render_ticket(make_ticket(number)).tobytes() for number in numbers]
    assert [decode_raster(job).tobytes() for job in jobs] == expected


def test_a_job_id_never_prints_twice(fake_printer, make_queue, published):
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    queue.submit("job-1", make_ticket(), kiosk="k1")  # while queued or printing
    published.wait_for(TICKET_PRINTED, job="job-1")
    queue.submit("job-1", make_ticket(), kiosk="k1")  # after it printed
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-2")
    assert printed_numbers(fake_printer.wait_for_jobs(2)) == ["1023", "1024"]
    assert [event.data["job"] for event in published.named(TICKET_PRINTED)] == ["job-1", "job-2"]


def test_a_printer_that_never_answers_status_still_prints(fake_printer, make_queue, published):
    fake_printer.answer_status = False
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-2")
    assert printed_numbers(fake_printer.wait_for_jobs(2)) == ["1023", "1024"]
    assert fake_printer.status_queries == 1  # asked once, then no more waiting on it
    assert not published.named(KIOSK_ALERT)


def printed_numbers(jobs, candidates=("1023", "1024")):
    """Which ticket each job printed, by comparing its raster with each candidate's."""
    drawn = {render_ticket(make_ticket(number)).tobytes(): number for number in candidates}
    return [drawn.get(decode_raster(job).tobytes(), "?") for job in jobs]


# --- failures ---------------------------------------------------------------------


def assert_alert(published, job, error, kiosk="k1"):
    event = published.wait_for(KIOSK_ALERT, job=job)
    assert event.data["error"] == error
    assert event.data["kiosk"] == kiosk and event.data["ticket_number"] == "1023"
    assert event.data["message"] and event.data["resolved"] is False
    assert event.rooms == (kiosk_room(kiosk), dashboard_room())


def test_port_closed_raises_alert_then_printer_back_prints_and_resolves(fake_printer, make_queue, published):
    fake_printer.go_offline()
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "printer_offline")
    assert not queue.printer_ok
    assert queue.results == [("job-1", False, "printer_offline")]

    fake_printer.go_online()
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-2")
    resolved = published.wait_for(KIOSK_ALERT, resolved=True)
    assert resolved.data["kiosk"] == "k1" and resolved.data["error"] is None
    assert queue.printer_ok
    assert printed_numbers(fake_printer.wait_for_jobs(1)) == ["1024"]


def test_printer_that_accepts_then_hangs_times_out_with_an_alert(fake_printer, make_queue, published):
    fake_printer.mode = "hang"
    queue = make_queue(fake_printer.port, timeout_s=0.3)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "printer_timeout")
    assert not queue.printer_ok

    fake_printer.mode = "ok"
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-2")
    published.wait_for(KIOSK_ALERT, resolved=True)


def test_connection_dropped_mid_job_raises_alert(fake_printer, make_queue, published):
    fake_printer.mode = "drop"
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "printer_disconnected")
    assert fake_printer.jobs == []


def test_paper_out_raises_alert_and_prints_nothing(fake_printer, make_queue, published):
    fake_printer.paper_out = True
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "paper_out")
    assert fake_printer.jobs == []


def test_failed_job_may_be_resubmitted_and_prints_once(fake_printer, make_queue, published):
    fake_printer.paper_out = True
    queue = make_queue(fake_printer.port)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "paper_out")
    fake_printer.paper_out = False
    queue.submit("job-1", make_ticket(), kiosk="k1")
    queue.submit("job-1", make_ticket(), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-1")
    queue.submit("job-1", make_ticket(), kiosk="k1")
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    # Jobs print in order: a second copy of 1023 would come before 1024.
    assert printed_numbers(fake_printer.wait_for_jobs(2)) == ["1023", "1024"]


def test_probe_finds_the_printer_back_without_a_new_ticket(fake_printer, make_queue, published):
    fake_printer.paper_out = True
    queue = make_queue(fake_printer.port, probe_interval_s=0.05)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    assert_alert(published, "job-1", "paper_out")
    fake_printer.paper_out = False  # someone put in a new roll
    resolved = published.wait_for(KIOSK_ALERT, resolved=True)
    assert resolved.data == {"kiosk": "k1", "error": None, "resolved": True,
                             "message": resolved.data["message"]}
    assert queue.printer_ok


def test_broken_publisher_does_not_stop_the_printer(fake_printer):
    def publish(event):
        raise RuntimeError("socket layer down")

    printer = parse_printer({"kind": "network", "host": "127.0.0.1", "port": fake_printer.port})
    queue = PrinterQueue(printer, publish)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    queue.submit("job-2", make_ticket("1024"), kiosk="k1")
    fake_printer.wait_for_jobs(2)
    queue.close()


def test_file_printer_writes_the_job_to_its_device(tmp_path, published):
    device = tmp_path / "lp0"
    queue = PrinterQueue(parse_printer({"kind": "file", "device": str(device)}), published)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-1")
    queue.close()
    assert decode_raster(device.read_bytes()).tobytes() == render_ticket(make_ticket()).tobytes()


# --- config -----------------------------------------------------------------------


# --- between tickets ---------------------------------------------------------------


def test_an_idle_printer_out_of_paper_is_reported_to_its_kiosks_before_anyone_takes_a_ticket(
        fake_printer, make_queue, published):
    fake_printer.paper_out = True
    queue = make_queue(fake_printer.port, kiosks=("k1", "k2"), check_every_s=0.05, probe_interval_s=0.05)
    for kiosk in ("k1", "k2"):
        event = published.wait_for(KIOSK_ALERT, kiosk=kiosk, resolved=False)
        assert event.data == {"kiosk": kiosk, "job": None, "ticket_number": None, "error": "paper_out",
                              "message": event.data["message"], "resolved": False}
        assert event.data["message"] and event.rooms == (kiosk_room(kiosk), dashboard_room())
    assert not queue.printer_ok

    fake_printer.paper_out = False  # a new roll
    for kiosk in ("k1", "k2"):
        published.wait_for(KIOSK_ALERT, kiosk=kiosk, resolved=True)
    assert queue.printer_ok
    assert len([event for event in published.events if event.name == KIOSK_ALERT]) == 4  # said once each
    assert fake_printer.jobs == []  # a check prints nothing


def test_an_idle_printer_switched_off_is_reported(fake_printer, make_queue, published):
    make_queue(fake_printer.port, kiosks=("k1",), check_every_s=0.05)
    fake_printer.go_offline()
    assert published.wait_for(KIOSK_ALERT, kiosk="k1").data["error"] == "printer_offline"


def test_an_idle_printer_that_never_answers_the_status_query_is_not_called_out_of_order(
        fake_printer, make_queue, published):
    fake_printer.answer_status = False
    queue = make_queue(fake_printer.port, kiosks=("k1",), check_every_s=0.05, timeout_s=0.1)
    deadline = time.monotonic() + 10
    while fake_printer.status_queries < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake_printer.status_queries >= 3  # it was checked, and took the silence for what it is
    assert published.events == [] and queue.printer_ok


def test_a_printer_is_not_checked_while_idle_when_no_kiosk_uses_it_or_checks_are_off(
        fake_printer, make_queue, published):
    fake_printer.paper_out = True
    make_queue(fake_printer.port, check_every_s=0.05)
    make_queue(fake_printer.port, kiosks=("k1",), check_every_s=0)
    time.sleep(0.5)
    assert fake_printer.status_queries == 0 and published.events == []


def test_a_roll_near_its_end_is_told_to_the_dashboard_once_and_a_new_roll_too(fake_printer, make_queue, published):
    queue = make_queue(fake_printer.port, kiosks=("k1",), check_every_s=0.05)
    fake_printer.paper_low = True  # found by a check between tickets
    low = published.wait_for(PRINTER_PAPER_LOW, kiosk="k1", low=True)
    assert low.rooms == (dashboard_room(),) and low.data["message"]
    queue.submit("job-1", make_ticket(), kiosk="k1")  # still prints: the roll is not out yet
    published.wait_for(TICKET_PRINTED, job="job-1")
    fake_printer.paper_low = False  # a new roll
    published.wait_for(PRINTER_PAPER_LOW, kiosk="k1", low=False)
    time.sleep(0.3)  # more checks, nothing new to tell
    assert [event.data["low"] for event in published.events if event.name == PRINTER_PAPER_LOW] == [True, False]
    assert [event for event in published.events if event.name == KIOSK_ALERT] == []  # the kiosk is not out of order


def test_a_roll_near_its_end_is_noticed_by_a_job_too(fake_printer, make_queue, published):
    fake_printer.paper_low = True
    queue = make_queue(fake_printer.port)  # no checks between tickets: told to the job's kiosk
    queue.submit("job-1", make_ticket(), kiosk="k2")
    published.wait_for(TICKET_PRINTED, job="job-1")
    published.wait_for(PRINTER_PAPER_LOW, kiosk="k2", low=True)


def test_a_check_that_fails_unexpectedly_counts_as_a_printer_error_and_the_printer_goes_on(
        fake_printer, make_queue, published, monkeypatch):
    from layso.printing import jobs

    real_probe = jobs.probe
    surprises = iter([RuntimeError("driver bug")])

    def probe(config, **options):
        surprise = next(surprises, None)
        if surprise is not None:
            raise surprise
        return real_probe(config, **options)

    monkeypatch.setattr(jobs, "probe", probe)
    queue = make_queue(fake_printer.port, kiosks=("k1",), check_every_s=0.05)
    assert published.wait_for(KIOSK_ALERT, resolved=False).data["error"] == "printer_error"
    published.wait_for(KIOSK_ALERT, resolved=True)
    queue.submit("job-1", make_ticket(), kiosk="k1")
    published.wait_for(TICKET_PRINTED, job="job-1")


def test_a_plain_file_standing_in_for_a_printer_is_not_checked_while_idle(tmp_path):
    plain = tmp_path / "printer.bin"
    plain.write_bytes(b"the last ticket")
    assert not worth_checking_idle(parse_printer({"kind": "file", "device": str(plain)}))  # it would be emptied
    assert not worth_checking_idle(parse_printer({"kind": "file", "device": str(tmp_path / "missing")}))
    assert worth_checking_idle(parse_printer({"kind": "file", "device": "/dev/null"}))  # a device: opening checks it
    assert worth_checking_idle(parse_printer({"kind": "file", "device": UNPLUGGED}))  # and one that is gone
    assert worth_checking_idle(parse_printer({"kind": "network", "host": "10.0.0.5"}))


UNPLUGGED = "/dev/layso-test-unplugged-lp0"  # a USB printer's node, gone with its cable


@pytest.fixture
def unplugged_device():
    """A device path with nothing there; a plain file left there (by a failed run) is removed."""
    device = Path(UNPLUGGED)
    device.unlink(missing_ok=True)
    yield device
    device.unlink(missing_ok=True)


def test_a_job_for_an_unplugged_device_printer_fails_offline_and_leaves_no_file_in_its_place(
        unplugged_device, published):
    queue = PrinterQueue(parse_printer({"kind": "file", "device": UNPLUGGED}), published, kiosks=("k1",))
    queue.submit("job-1", make_ticket(), kiosk="k1")
    alert = published.wait_for(KIOSK_ALERT, job="job-1")
    queue.close()
    assert alert.data["error"] == "printer_offline"
    assert not unplugged_device.exists()  # a plain file there would swallow every later ticket


def test_a_device_printer_unplugged_between_tickets_is_reported(unplugged_device, published):
    queue = PrinterQueue(parse_printer({"kind": "file", "device": UNPLUGGED, "check_every_s": 0.05}), published,
                         kiosks=("k1",))
    alert = published.wait_for(KIOSK_ALERT, kiosk="k1", resolved=False)
    queue.close()
    assert (alert.data["job"], alert.data["error"]) == (None, "printer_offline")
    assert not unplugged_device.exists()


def test_parse_printer_reads_each_kind():
    network = parse_printer({"kind": "network", "host": "10.0.0.5"})
    assert (network.port, network.paper_mm, network.width_px, network.escpos_profile) == (9100, 80, 576, "TM-T20II")
    usb = parse_printer({"kind": "usb", "vendor_id": "0x04b8", "product_id": "0e15", "paper_mm": 58})
    assert (usb.vendor_id, usb.product_id, usb.width_px) == (0x04B8, 0x0E15, 384)
    serial = parse_printer({"kind": "serial", "device": "/dev/ttyS0", "baudrate": 19200})
    assert serial.baudrate == 19200
    assert parse_printer({"kind": "agent"}).kind == "agent"


@pytest.mark.parametrize(
    ("raw", "key"),
    [({"kind": "network", "host": "h", "colour": 1}, "colour"),
     ({"kind": "laser"}, "kind"),
     ({"kind": "network"}, "host"),
     ({"kind": "usb", "vendor_id": "xyz", "product_id": 1}, "vendor_id"),
     ({"kind": "network", "host": "h", "paper_mm": 76}, "paper_mm"),
     ({"kind": "network", "host": "h", "timeout_s": 0}, "timeout_s"),
     ({"kind": "network", "host": "h", "check_every_s": -1}, "check_every_s"),
     ({"kind": "network", "host": "h", "check_every_s": "60"}, "check_every_s"),
     ({"kind": "network", "host": "h", "profile": "TM-NOPE"}, "profile"),
     ({"kind": "network", "host": "h", "profile": "POS-5890"}, "profile")],
)
def test_parse_printer_names_the_bad_key(raw, key):
    with pytest.raises(ValueError, match=key):
        parse_printer(raw)


def test_an_agent_printer_has_no_server_side_queue(published):
    with pytest.raises(ValueError, match="agent"):
        PrinterQueue(parse_printer({"kind": "agent"}), published)


GEVENT_SCRIPT = """
from gevent import monkey; monkey.patch_all()
import threading, time
from tests.fake_printer import FakePrinter
from tests.test_printing import make_ticket
from layso.printing.jobs import PrinterQueue
from layso.printing.printers import parse_printer, worth_checking_idle

printer = FakePrinter()
events = []
done = threading.Event()
def publish(event):
    events.append((event.name, event.data.get("job"), event.data.get("error")))
    if len(events) == 4:
        done.set()
queue = PrinterQueue(parse_printer({"kind": "network", "host": "127.0.0.1", "port": printer.port,
                                    "timeout_s": 0.3}), publish)
queue.submit("job-1", make_ticket(), kiosk="k1")
printer.wait_for_jobs(1)
printer.mode = "hang"
queue.submit("job-2", make_ticket(), kiosk="k1")
deadline = time.monotonic() + 10
while len(events) < 2 and time.monotonic() < deadline:
    time.sleep(0.02)
printer.mode = "ok"
queue.submit("job-3", make_ticket("1024"), kiosk="k1")
assert done.wait(10), events
queue.close()
print(events)
"""


def test_print_queue_works_under_gevent_monkey_patching():
    assert run_under_gevent(GEVENT_SCRIPT).strip() == str([
        ("ticket.printed", "job-1", None), ("kiosk.alert", "job-2", "printer_timeout"),
        ("ticket.printed", "job-3", None), ("kiosk.alert", None, None),
    ])
