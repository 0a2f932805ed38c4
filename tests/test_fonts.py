"""No character on any page falls back to an empty box ("tofu"): every character the pages
can show is drawn by DejaVu Sans, regular and bold (Debian's fonts-dejavu-core, which scripts/setup
installs), which every page's font stack names (the printable report's serif stack, DejaVu Serif). A kiosk has no emoji font, so a
pictogram is an SVG icon the server ships (layso/web/static/icons/)."""

import ast
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from layso.printing.render import FONT_DIR
from tests.helpers import ROOT

PAGE_PACKAGES = ("kiosk", "counter", "display", "rating_tablet", "dashboard", "layso")
# Every page's stack: a character one of these draws is never tofu (Chromium falls back to any
# installed font that has it, so the serif report finds it here too).
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")  # fonts-dejavu-core
FAMILIES = ("LaysoSans", "DejaVu Sans", "DejaVu Serif")  # LaysoSans: layso.css's local("DejaVu Sans") first
STACK = re.compile(r"font-family\s*:\s*([^;}]+)")


def font_characters(path: Path) -> set[int]:
    """The code points a font file draws (fc-query, from fontconfig)."""
    charset = subprocess.run(["fc-query", "--format", "%{charset}", str(path)],
                             capture_output=True, text=True, check=True).stdout
    points = set()
    for span in charset.split():
        first, _, last = span.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def own_files(*suffixes):
    for package in PAGE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in suffixes and "vendor" not in path.parts:
                yield path


def python_strings(path: Path):
    """The string literals of a module (what it can show), without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def shown_texts():
    """(where, text) for everything a page can put on screen: templates, scripts and styles
    whole, the Python modules' strings (messages, catalogs), and the centers' config files."""
    for path in own_files(".html", ".js", ".css"):
        yield path, path.read_text(encoding="utf-8")
    for path in own_files(".py"):
        for text in python_strings(path):
            yield path, text
    for path in sorted((ROOT / "config").glob("*.toml")):
        yield path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def drawn():
    fonts = [Path(FONT_DIR) / name for name in FONTS]
    missing = [str(path) for path in fonts if not path.exists()]
    assert not missing, f"fonts-dejavu-core is not installed (scripts/setup): {missing}"
    return set.intersection(*(font_characters(path) for path in fonts))


def never_shown(character: str) -> bool:
    """Controls, spaces and Unicode noncharacters (a sort key's sentinel such as U+FFFF)."""
    point = ord(character)
    return point < 0x20 or character.isspace() or 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def test_every_character_a_page_can_show_is_in_the_pages_font(drawn):
    missing = {}
    for path, text in shown_texts():
        for character in unicodedata.normalize("NFC", text):
            if ord(character) not in drawn and not never_shown(character):
                missing.setdefault(f"U+{ord(character):04X} {character} {unicodedata.name(character, '?')}",
                                   set()).add(str(path.relative_to(ROOT)))
    assert not missing, "drawn by no installed font (use an SVG icon or another character):\n" + "\n".join(
        f"{name}: {sorted(paths)}" for name, paths in sorted(missing.items()))


def test_every_font_stack_names_an_installed_font():
    for path in own_files(".css", ".html"):
        for stack in STACK.findall(path.read_text(encoding="utf-8")):
            families = [family.strip().strip("\"'") for family in stack.split(",")]
            assert families == ["inherit"] or set(families) & set(FAMILIES), f"{path.relative_to(ROOT)}: font-family {stack}"


def test_setup_installs_the_font_and_the_tool_that_reads_it():
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    packages = re.search(r'APT_PACKAGES="([^"]*)"', setup).group(1).split()
    assert {"fonts-dejavu-core", "fontconfig"} <= set(packages)
