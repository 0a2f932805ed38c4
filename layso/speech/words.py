"""Numbers and ticket labels as Vietnamese words, the way people read them aloud.

The engine is always given words, never digits: espeak-ng reads digits itself
and says the southern "ngàn" whatever the voice.

Rules (cách đọc số):
- groups of three digits: trăm (hundred), nghìn/ngàn (thousand), triệu
  (million), tỷ (billion); "nghìn tỷ" and beyond repeat the same words;
- a zero tens digit before a units digit is "linh" (north) or "lẻ" (south):
  105 "một trăm linh năm"; a group after a larger one is read in full, zero
  hundreds included: 1005 "một nghìn không trăm linh năm"; a group that is all
  zeros is left out: 1000005 "một triệu không trăm linh năm";
- 1 after "mươi" is "mốt" (21 "hai mươi mốt"); 5 after "mười"/"mươi" is "lăm"
  (15 "mười lăm"); 4 after "mươi" is "tư" in the north (24 "hai mươi tư") and
  "bốn" in the south (24 "hai mươi bốn"), as southern speakers read it.
"""

import operator
import re
import unicodedata

DIALECTS = ("north", "south")  # miền Bắc, miền Nam

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

_WORDS = {
    "north": {"thousand": "nghìn", "zero_tens": "linh", "four_after_tens": "tư"},
    "south": {"thousand": "ngàn", "zero_tens": "lẻ", "four_after_tens": "bốn"},
}

# Vietnamese names of the letters (tên chữ cái), spelled so that espeak-ng's
# Vietnamese voices say them right: read bare, it says "B" well but "D" like
# "đê", "Đ" like "đờ", "G" like "ghê", "S" as "ét" and "X" as "ích".
LETTER_NAMES = {
    "A": "A", "Ă": "Á", "Â": "Ớ", "B": "Bê", "C": "Xê", "D": "Dê", "Đ": "Đê",
    "E": "E", "Ê": "Ê", "F": "Ép", "G": "Giê", "H": "Hát", "I": "I", "J": "Gi",
    "K": "Ca", "L": "E lờ", "M": "Em mờ", "N": "En nờ", "O": "O", "Ô": "Ô",
    "Ơ": "Ơ", "P": "Pê", "Q": "Quy", "R": "E rờ", "S": "Ét xì", "T": "Tê",
    "U": "U", "Ư": "Ư", "V": "Vê", "W": "Vê kép", "X": "Ích xì", "Y": "I dài",
    "Z": "Dét",
}

# A label is its prefix letters, an optional separator, then its number: "A015", "B-7".
_LABEL = re.compile(r"^\s*([^\W\d_]*)[\s\-.]*(\d+)\s*$")


def _check_dialect(dialect: str) -> dict:
    if dialect not in _WORDS:
        raise ValueError(f"dialect must be one of {DIALECTS}, not {dialect!r}")
    return _WORDS[dialect]


def _group_words(group: int, *, full: bool, words: dict) -> list[str]:
    """Words for 0 < group < 1000; ``full`` reads zero hundreds ("không trăm")."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    out = []
    if hundreds or full:
        out += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append(words["zero_tens"])
    elif tens == 1:
        out.append("mười")
    else:
        out += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        out.append("mốt")
    elif units == 4 and tens >= 2:
        out.append(words["four_after_tens"])
    elif units == 5 and tens >= 1:
        out.append("lăm")
    elif units:
        out.append(DIGITS[units])
    return out


def _words(number: int, *, full: bool, words: dict) -> list[str]:
    """Words for 0 < number; ``full`` when a larger group was already read."""
    if number >= 1_000_000_000:
        billions, rest = divmod(number, 1_000_000_000)
        head = _words(billions, full=full, words=words) + ["tỷ"]
        return head + (_words(rest, full=True, words=words) if rest else [])
    out = []
    for scale, name in ((1_000_000, "triệu"), (1_000, words["thousand"]), (1, "")):
        group = number // scale % 1000
        if group:
            out += _group_words(group, full=full or bool(out), words=words)
            out += [name] if name else []
    return out


def number_words(n: int, *, dialect: str = "north") -> str:
    """Read a whole number ≥ 0 in Vietnamese: 1023 → "một nghìn không trăm hai mươi ba".

    ``dialect`` is "north" (nghìn, linh, hai mươi tư) or "south" (ngàn, lẻ,
    hai mươi bốn). Raises ValueError for a negative number or an unknown
    dialect, TypeError for anything but an int.
    """
    words = _check_dialect(dialect)
    n = operator.index(n)  # TypeError for a float or a string of digits
    if n < 0:
        raise ValueError(f"cannot read a negative number: {n}")
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n, full=False, words=words))


def label_parts(label: str) -> tuple[str, str]:
    """A ticket label's prefix letters and its digits: "A015" → ("A", "015"), "B-7" → ("B", "7").
    Raises ValueError when the label does not end in digits."""
    match = _LABEL.match(unicodedata.normalize("NFC", label))
    if not match:
        raise ValueError(f"a ticket label is letters then digits, not {label!r}")
    return match[1], match[2]


def label_words(label: str, *, dialect: str = "north", digit_by_digit: bool = False) -> str:
    """Read a ticket label (số thứ tự): its prefix letters by name, then its number.

    "A015" → "A mười lăm"; with ``digit_by_digit`` → "A không một năm"; "B7" →
    "Bê bảy". Leading zeros are not read as a number. Letters without a
    Vietnamese name are passed through as written. Raises ValueError when the
    label does not end in digits, or for an unknown dialect.
    """
    _check_dialect(dialect)
    prefix, digits = label_parts(label)
    spoken = [LETTER_NAMES.get(letter.upper(), letter) for letter in prefix]
    if digit_by_digit:
        spoken += [DIGITS[int(digit)] for digit in digits]
    else:
        spoken.append(number_words(int(digits), dialect=dialect))
    return " ".join(spoken)
