"""Every word the staff pages show has its English (dashboard/messages.py), and the admin
has words for every role, device kind and audit action the code stores."""

import re
from pathlib import Path

from dashboard.messages import CATALOG
from layso.admin.words import ACTION_WORDS, DEVICE_WORDS, ROLE_WORDS
from layso.store.center import SETTING_KEYS
from layso.web.i18n import gettext

ROOT = Path(__file__).resolve().parent.parent
SAME_IN_ENGLISH = {"Kiosk"}
CALLS = re.compile(r"""(?<![\w.$])(?:_|t)\("((?:[^"\\]|\\.)+)"\)""")


def test_every_staff_page_word_has_its_english(app):
    files = [*(ROOT / "dashboard/templates/dashboard").glob("*.html"), *(ROOT / "dashboard/static/dashboard").glob("*.js")]
    words = {word for path in files for word in CALLS.findall(path.read_text())}
    assert len(words) > 100
    with app.test_request_context("/dashboard?lang=en"):
        assert sorted(word for word in words if gettext(word) == word and word not in SAME_IN_ENGLISH) == []


def test_roles_kinds_and_actions_have_words_in_both_languages():
    for word in [*ROLE_WORDS.values(), *DEVICE_WORDS.values(), *ACTION_WORDS.values()]:
        assert word in CATALOG, word


def test_every_audited_action_has_words():
    written = set()
    for path in [*ROOT.glob("layso/**/*.py"), *ROOT.glob("dashboard/*.py")]:
        written |= set(re.findall(r"""(?:action=|_audit\()"([a-z_]+\.[a-z_]+)\"""", path.read_text()))
    written |= {f"setting.{key}" for key in SETTING_KEYS}
    assert len(written) > 15
    assert sorted(written - ACTION_WORDS.keys()) == []
