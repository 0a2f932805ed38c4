"""One rule for the words of an estimated wait and for plural forms (layso/wording.py):
paper, kiosk, status page and API all read from it."""

from datetime import datetime, timezone

import pytest

from layso.printing.render import TicketPrint, ticket_text_lines
from layso.wording import plural_form, wait_words

WAITS = [
    # seconds, Vietnamese, English
    (None, "chưa xác định", "not known yet"),
    (0, "dưới 1 phút", "under a minute"),
    (-5, "dưới 1 phút", "under a minute"),
    (59, "dưới 1 phút", "under a minute"),
    (59.9, "dưới 1 phút", "under a minute"),
    (60, "khoảng 1 phút", "about 1 minute"),
    (75, "khoảng 1 phút", "about 1 minute"),  # was "dưới 1 phút" on screen, "khoảng 1 phút" on paper
    (89, "khoảng 1 phút", "about 1 minute"),
    (90, "khoảng 2 phút", "about 2 minutes"),
    (150, "khoảng 3 phút", "about 3 minutes"),  # halves go up: was "2 phút" on load, "3 phút" after a refresh
    (15 * 60, "khoảng 15 phút", "about 15 minutes"),
    (59 * 60 + 29, "khoảng 59 phút", "about 59 minutes"),
    (59 * 60 + 30, "khoảng 1 giờ", "about 1 hour"),
    (3600, "khoảng 1 giờ", "about 1 hour"),
    (62 * 60, "khoảng 1 giờ", "about 1 hour"),
    (63 * 60, "khoảng 1 giờ 5 phút", "about 1 hour 5 minutes"),
    (80 * 60, "khoảng 1 giờ 20 phút", "about 1 hour 20 minutes"),  # was "80 phút" on screen
    (80 * 60 + 40, "khoảng 1 giờ 20 phút", "about 1 hour 20 minutes"),
    (2 * 3600, "khoảng 2 giờ", "about 2 hours"),
    (2 * 3600 + 35 * 60, "khoảng 2 giờ 35 phút", "about 2 hours 35 minutes"),
    (10**12, "khoảng 277777777 giờ 45 phút", "about 277777777 hours 45 minutes"),
]


@pytest.mark.parametrize(("seconds", "vietnamese", "english"), WAITS)
def test_an_estimated_wait_reads_the_same_words_everywhere(seconds, vietnamese, english):
    assert wait_words(seconds) == vietnamese
    assert wait_words(seconds, "vi") == vietnamese
    assert wait_words(seconds, "en") == english


def test_an_unknown_language_reads_vietnamese():
    assert wait_words(150, "fr") == "khoảng 3 phút"


@pytest.mark.parametrize("seconds", [75, 150, 80 * 60])
def test_the_printed_ticket_words_the_wait_by_the_same_rule(seconds):
    ticket = TicketPrint(center_name="Trung tâm", number="A001", service_name="Hộ tịch", ahead=1,
                         estimated_wait_s=seconds, issued_at=datetime(2026, 11, 23, 2, tzinfo=timezone.utc),
                         counters=[1], status_url="http://x/t/abc", footer="")
    assert f"Thời gian chờ dự kiến: {wait_words(seconds)}" in ticket_text_lines(ticket)


@pytest.mark.parametrize(("language", "count", "form"), [
    ("en", 1, "one"), ("en", 0, "other"), ("en", 2, "other"), ("en", 1.5, "other"), ("en", 21, "other"),
    ("vi", 1, "other"), ("vi", 0, "other"), ("vi", 2, "other"),
])
def test_plural_forms_follow_cldr_one_and_other_in_english_and_a_single_form_in_vietnamese(language, count, form):
    assert plural_form(language, count) == form
