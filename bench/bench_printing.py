"""Printing speed: render + encode one ticket, and tickets/s through the printed path.

    .venv/bin/python bench/bench_printing.py [--tickets 1000]

The printed path is PrinterQueue → render → ESC/POS bytes → a fake network printer
on 127.0.0.1, in its own process, that answers status queries (one connection and two status round trips
per ticket, as with a real printer). Figures go in docs/benchmarks.md ("Printing").
"""

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from escpos.printer import Dummy  # noqa: E402

from layso.events import TICKET_PRINTED  # noqa: E402
from layso.printing.escpos_bytes import ticket_bytes  # noqa: E402
from layso.printing.jobs import PrinterQueue  # noqa: E402
from layso.printing.printers import DEFAULT_PROFILES, parse_printer  # noqa: E402
from layso.printing.render import WIDTH_58MM, WIDTH_80MM, TicketPrint, render_ticket  # noqa: E402
from tests.fake_printer import FakePrinter  # noqa: E402

START = datetime(2026, 11, 22, 7, 30, tzinfo=timezone(timedelta(hours=7)))
SERVICES = [
    "Đăng ký khai sinh, kết hôn, lý lịch tư pháp — Sở Tư pháp",
    "Cấp đổi giấy phép lái xe",
    "Đăng ký đất đai, cấp giấy chứng nhận quyền sử dụng đất",
]


def ticket(index: int) -> TicketPrint:
    """A day's worth of varied tickets: number, queue, time and link change each time."""
    return TicketPrint(
        center_name="Trung tâm Phục vụ hành chính công thành phố Huế",
        number=str(1001 + index),
        service_name=SERVICES[index % len(SERVICES)],
        ahead=index % 37,
        estimated_wait_s=(index % 37) * 240,
        issued_at=START + timedelta(seconds=20 * index),
        counters=[1, 2, 5],
        status_url=f"http://192.168.1.10:5000/t/{index:06d}-Ab3kLm9QxYzW0pRt5sUv",
        footer="Xin vui lòng đánh giá mức độ hài lòng sau khi được phục vụ. Xin cảm ơn!",
        priority=index % 10 == 0,
    )


def percentile(samples: list[float], share: float) -> float:
    return sorted(samples)[min(len(samples) - 1, int(share * len(samples)))]


def bench_render(count: int) -> None:
    for paper_mm, width in ((80, WIDTH_80MM), (58, WIDTH_58MM)):
        profile = DEFAULT_PROFILES[paper_mm]
        ticket_bytes(render_ticket(ticket(0), width_px=width), profile=profile)  # warm caches
        render_ms, total_ms = [], []
        for index in range(count):
            started = time.perf_counter()
            image = render_ticket(ticket(index), width_px=width)
            rendered = time.perf_counter()
            ticket_bytes(image, profile=profile)
            done = time.perf_counter()
            render_ms.append((rendered - started) * 1000)
            total_ms.append((done - started) * 1000)
        print(f"{paper_mm} mm ({width} px), {count} tickets: render p50 {statistics.median(render_ms):.2f} ms; "
              f"render+encode p50 {statistics.median(total_ms):.2f} ms, p99 {percentile(total_ms, 0.99):.2f} ms")
        print(f"  encode with python-escpos image() instead: p50 {escpos_image_ms(image, profile):.2f} ms")


def escpos_image_ms(image, profile: str, count: int = 50) -> float:
    """python-escpos's own image() on the same ticket, for comparison."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        Dummy(profile=profile).image(image, impl="bitImageRaster")
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run_fake_printer(pipe) -> None:
    """In its own process, like a real printer: no share of this process's GIL."""
    printer = FakePrinter()
    pipe.send(printer.port)
    count = pipe.recv()
    pipe.send(len(printer.wait_for_jobs(count, timeout_s=120)))
    printer.close()


def bench_printed_path(count: int) -> None:
    pipe, child_pipe = multiprocessing.Pipe()
    fake = multiprocessing.Process(target=run_fake_printer, args=(child_pipe,), daemon=True)
    fake.start()
    port = pipe.recv()
    pipe.send(count)
    done = threading.Event()
    printed = []

    def publish(event):
        if event.name == TICKET_PRINTED:
            printed.append(event)
            if len(printed) == count:
                done.set()

    queue = PrinterQueue(parse_printer({"kind": "network", "host": "127.0.0.1", "port": port}), publish)
    tickets = [ticket(index) for index in range(count)]
    started = time.perf_counter()
    for index, one in enumerate(tickets):
        queue.submit(f"job-{index}", one, kiosk="k1")
    submitted = time.perf_counter()
    if not done.wait(120):
        raise SystemExit(f"only {len(printed)} of {count} tickets printed")
    elapsed = time.perf_counter() - started
    queue.close()
    received = pipe.recv()
    fake.join()
    print(f"printed path, {received} tickets received by a fake network printer (own process): {count / elapsed:.0f} tickets/s "
          f"({elapsed * 1000 / count:.2f} ms each); submit() returned in "
          f"{(submitted - started) * 1e6 / count:.1f} µs per ticket")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    args = parser.parse_args()
    bench_render(args.tickets)
    bench_printed_path(args.tickets)


if __name__ == "__main__":
    main()
