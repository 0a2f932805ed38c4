"""Regenerate docs/ticket-80mm.png and docs/ticket-58mm.png, the tickets shown in the docs.

    .venv/bin/python bench/render_ticket_png.py
"""

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layso.printing.render import WIDTH_58MM, WIDTH_80MM, TicketPrint, render_ticket  # noqa: E402

SAMPLE = TicketPrint(
    center_name="Trung tâm Phục vụ hành chính công thành phố Huế",
    number="1023",
    # Every kind of Vietnamese diacritic: ă â đ ê ô ơ ư and the five tones.
    service_name="Đăng ký khai sinh, kết hôn, lý lịch tư pháp — Sở Tư pháp",
    ahead=12,
    estimated_wait_s=15 * 60,
    issued_at=datetime(2026, 11, 22, 9, 5, tzinfo=timezone(timedelta(hours=7))),
    counters=[1, 2, 5],
    status_url="http://192.168.1.10:5000/t/Ab3kLm9QxYzW0pRt5sUv7w",
    footer="Xin vui lòng đánh giá mức độ hài lòng sau khi được phục vụ. Xin cảm ơn!",
    priority=True,
)


def main() -> None:
    for name, width in (("ticket-80mm.png", WIDTH_80MM), ("ticket-58mm.png", WIDTH_58MM)):
        path = ROOT / "docs" / name
        render_ticket(SAMPLE, width_px=width).save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)} ({width} px wide)")


if __name__ == "__main__":
    main()
