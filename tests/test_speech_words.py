"""Numbers and ticket labels read the way Vietnamese people read them."""

import unicodedata

import pytest

from layso.speech.words import label_words, number_words

NORTH = [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (1023, "một nghìn không trăm hai mươi ba"),
    (1100, "một nghìn một trăm"),
    (2014, "hai nghìn không trăm mười bốn"),
    (9999, "chín nghìn chín trăm chín mươi chín"),
    (10000, "mười nghìn"),
    (15000, "mười lăm nghìn"),
    (100005, "một trăm nghìn không trăm linh năm"),
    (999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
    (1000000, "một triệu"),
    (1000005, "một triệu không trăm linh năm"),
    (1005000, "một triệu không trăm linh năm nghìn"),
    (1234567, "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
    (2000000000, "hai tỷ"),
    (1000000000001, "một nghìn tỷ không trăm linh một"),
]

SOUTH = [
    (0, "không"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (101, "một trăm lẻ một"),
    (105, "một trăm lẻ năm"),
    (110, "một trăm mười"),
    (1000, "một ngàn"),
    (1005, "một ngàn không trăm lẻ năm"),
    (1023, "một ngàn không trăm hai mươi ba"),
    (2014, "hai ngàn không trăm mười bốn"),
    (9999, "chín ngàn chín trăm chín mươi chín"),
    (1234567, "một triệu hai trăm ba mươi bốn ngàn năm trăm sáu mươi bảy"),
]

LABELS = [
    ("A015", False, "A mười lăm"),
    ("A015", True, "A không một năm"),
    ("A1023", False, "A một nghìn không trăm hai mươi ba"),
    ("B7", False, "Bê bảy"),
    ("C024", False, "Xê hai mươi tư"),
    ("D105", False, "Dê một trăm linh năm"),
    ("Đ001", False, "Đê một"),
    ("Đ001", True, "Đê không không một"),
    ("G010", False, "Giê mười"),
    ("S2", False, "Ét xì hai"),
    ("X3", False, "Ích xì ba"),
    ("AB-120", False, "A Bê một trăm hai mươi"),
    ("a015", False, "A mười lăm"),
    ("1023", False, "một nghìn không trăm hai mươi ba"),
    ("A000", False, "A không"),
]


@pytest.mark.parametrize(("number", "words"), NORTH)
def test_number_is_read_the_northern_way_by_default(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(("number", "words"), SOUTH)
def test_number_is_read_the_southern_way_with_ngan_and_le(number, words):
    assert number_words(number, dialect="south") == words


@pytest.mark.parametrize(("label", "digit_by_digit", "words"), LABELS)
def test_label_is_its_letters_by_name_then_its_number(label, digit_by_digit, words):
    assert label_words(label, digit_by_digit=digit_by_digit) == words


def test_southern_label_uses_southern_number_words():
    assert label_words("A1005", dialect="south") == "A một ngàn không trăm lẻ năm"


def test_label_words_are_nfc_and_never_hold_a_digit():
    decomposed = unicodedata.normalize("NFD", "Đ2014")
    words = label_words(decomposed)
    assert words == "Đê hai nghìn không trăm mười bốn"
    assert unicodedata.is_normalized("NFC", words)
    assert not any(char.isdigit() for char in words)


@pytest.mark.parametrize("label", ["", "A", "A01B", "01A", "A 1 2"])
def test_label_without_a_trailing_number_is_refused(label):
    with pytest.raises(ValueError, match="label"):
        label_words(label)


def test_negative_number_is_refused():
    with pytest.raises(ValueError, match="negative"):
        number_words(-1)


def test_number_that_is_not_an_int_is_refused():
    with pytest.raises(TypeError):
        number_words(15.0)


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="dialect"):
        number_words(15, dialect="central")
    with pytest.raises(ValueError, match="dialect"):
        label_words("A015", dialect="central")
