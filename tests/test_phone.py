"""Vietnamese phone numbers as people type them (layso/phone.py, docs/phone.md)."""

import pytest

from layso.errors import InvalidInput
from layso.phone import MOBILE_CODES, checked_phone, mask_phone, normalise_phone, phone_kind


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        (" 0912 - 345 . 678 ", "+84912345678"),
        ("0912\u00a0345\u00a0678", "+84912345678"),  # the no-break space a phone's keyboard may put in
        ("0912–345–678", "+84912345678"),  # en dashes
        ("+84912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("+84-91-234-5678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0849123456", "+84849123456"),  # 084 is VinaPhone's code, not the country code
        ("(024) 3825 1234", "+842438251234"),
        ("0234.382.3456", "+842343823456"),
        # written like a number, whether or not it exists (phone_kind decides that)
        ("0123456789", "+84123456789"),
        ("0912", "+84912"),
    ],
)
def test_normalise_phone_ignores_spaces_dots_dashes_and_reads_each_prefix(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        None, 912345678, "", "   ", "+", "0", "84", "+84", "0084",
        "+1 202 555 0100",  # another country
        "+840912345678", "840912345678",  # the trunk 0 after the country code
        "912345678",  # no 0, no country code
        "0912/345/678", "0912_345_678", "0912,345,678",  # only spaces, dots, dashes and brackets are ignored
        "09l2345678", "0912345678a", "tel:0912345678", "0912345678 ext 2",
        "０９１２３４５６７８",  # full-width digits
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "0912345678" * 5,  # past 40 characters
        "0" * 250_000,  # a 250 KB "number"
        "++84912345678", "+ 84912345678+",
    ],
)
def test_normalise_phone_refuses_what_is_not_written_like_a_vietnamese_number(typed):
    assert normalise_phone(typed) is None


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("0912345678", "mobile"),  # VinaPhone
        ("0862345678", "mobile"),  # Viettel
        ("0321234567", "mobile"),  # Viettel (the old 0162)
        ("0398765432", "mobile"),
        ("0701234567", "mobile"),  # MobiFone (the old 0120)
        ("0891234567", "mobile"),
        ("0921234567", "mobile"),  # Vietnamobile
        ("0521234567", "mobile"),
        ("0591234567", "mobile"),  # Gmobile
        ("0991234567", "mobile"),
        ("0871234567", "mobile"),  # Itelecom
        ("0551234567", "mobile"),  # Wintel
        ("02438251234", "landline"),  # Hà Nội: eight-digit subscriber numbers
        ("02838291234", "landline"),  # TP Hồ Chí Minh
        ("02343823456", "landline"),  # Huế: seven-digit subscriber numbers
        ("02923812345", "landline"),  # Cần Thơ
        ("0912345678 ", "mobile"),
        # unused codes, wrong lengths, old eleven-digit mobile numbers, service numbers
        ("0301234567", None), ("0311234567", None), ("0501234567", None), ("0511234567", None),
        ("0531234567", None), ("0541234567", None), ("0571234567", None), ("0711234567", None),
        ("0751234567", None), ("0801234567", None), ("0951234567", None), ("0123456789", None),
        ("0161234567", None), ("01612345678", None),  # 0161… became 0361… in 2018
        ("091234567", None), ("09123456789", None),
        ("0243825123", None), ("024382512345", None), ("0217123456", None), ("0201234567", None),
        ("02231234567", None),  # no province has 0223
        ("19001234", None), ("1900123456", None), ("18001234", None), ("113", None),
        ("", None), (None, None),
    ],
)
def test_phone_kind_follows_the_numbering_plan(typed, kind):
    assert phone_kind(normalise_phone(typed)) == kind


@pytest.mark.parametrize("value", [None, "", 84912345678, "84912345678", "+84912345678x", "+84 912345678", "+849123456٧٨"])
def test_phone_kind_takes_only_the_e164_form(value):
    assert phone_kind(value) is None


def test_every_mobile_code_makes_a_mobile_number_and_none_other_does():
    for code in (f"{tens}{units}" for tens in range(10) for units in range(10)):
        kind = phone_kind(f"+84{code}1234567")
        assert kind == ("mobile" if code in MOBILE_CODES else None), code


@pytest.mark.parametrize(
    "e164, masked",
    [
        ("+84912345678", "09xx xxx 678"),
        ("+84321234567", "03xx xxx 567"),
        ("+842438251234", "02xx xxxx 234"),
        ("+842343823456", "02xx xxxx 456"),
        # never the text itself: a value that is not a stored number masks to nothing
        ("+84123456789", ""), ("0912345678", ""), ("secret", ""), ("", ""), (None, ""),
    ],
)
def test_mask_phone_shows_only_the_first_two_and_the_last_three_digits(e164, masked):
    assert mask_phone(e164) == masked


def test_masked_number_hides_every_middle_digit():
    masked = mask_phone("+84987654321")
    assert masked == "09xx xxx 321"
    assert not any(digit in masked for digit in "8765")


@pytest.mark.parametrize("typed", ["0912 345 678", "+84 912 345 678", "84912345678"])
def test_checked_phone_gives_the_e164_form_of_a_mobile_number(typed):
    assert checked_phone(typed) == "+84912345678"


def test_checked_phone_refuses_a_landline_for_text_messages_unless_allowed():
    with pytest.raises(InvalidInput) as refused:
        checked_phone("024 3825 1234")
    assert "di động" in refused.value.message and "mobile" in refused.value.message_en
    assert checked_phone("024 3825 1234", mobile_only=False) == "+842438251234"


@pytest.mark.parametrize("typed", ["0123456789", "12345", "", None, ["0912345678"], "0" * 250_000])
def test_checked_phone_refuses_what_is_not_a_vietnamese_number(typed):
    with pytest.raises(InvalidInput) as refused:
        checked_phone(typed)
    assert "không hợp lệ" in refused.value.message
