"""Hall screens (màn hình sảnh) from ``[[displays]]``: which counters each shows, its layout,
and whether it speaks the calls (one speaking screen per hall)."""

from dataclasses import dataclass

from layso.errors import NotFound
from layso.settings import SettingsError

LAYOUTS = ("landscape", "portrait")


@dataclass(frozen=True)
class Screen:
    id: str
    name: str
    counters: tuple[int, ...] = ()  # empty: every counter
    speak: bool = False
    layout: str = "landscape"

    def shows_counter(self, number: int) -> bool:
        return not self.counters or number in self.counters


# /display with no [[displays]] configured: every counter, landscape, silent.
DEFAULT_SCREEN = Screen(id="", name="")


def screens(settings) -> list[Screen]:
    """The configured screens; raises SettingsError naming the key of a bad entry."""
    result = []
    for index, entry in enumerate(settings.displays):
        where = f"displays[{index}]"
        counters = entry.get("counters", [])
        if not isinstance(counters, list) or not all(isinstance(n, int) and n > 0 for n in counters):
            raise SettingsError(f"{where}.counters: a list of counter numbers ([] = every counter)")
        if not isinstance(entry.get("speak", False), bool):
            raise SettingsError(f"{where}.speak: true or false")
        if entry.get("layout", "landscape") not in LAYOUTS:
            raise SettingsError(f"{where}.layout: one of {', '.join(LAYOUTS)}")
        screen = Screen(id=str(entry["id"]), name=str(entry.get("name", entry["id"])), counters=tuple(counters),
                        speak=entry.get("speak", False), layout=entry.get("layout", "landscape"))
        if any(other.id == screen.id for other in result):
            raise SettingsError(f"{where}.id: duplicate {screen.id!r}")
        result.append(screen)
    return result


def find_screen(settings, screen_id: str | None) -> Screen:
    """The screen called ``screen_id``; None means the first configured one (or the default).
    Raises NotFound for an unknown id."""
    configured = screens(settings)
    if screen_id is None:
        return configured[0] if configured else DEFAULT_SCREEN
    for screen in configured:
        if screen.id == screen_id:
            return screen
    raise NotFound("Không có màn hình này.", message_en="No such display.")


def screen_state(state: dict, screen: Screen) -> dict:
    """The center's state cut down to the counters this screen shows and their services."""
    counters = [counter for counter in state["counters"] if screen.shows_counter(counter["number"])]
    if not screen.counters:
        return state
    services = {code for counter in counters for code in counter["services"]}
    return {
        **state,
        "counters": counters,
        "services": [service for service in state["services"] if service["code"] in services],
        "calls": [call for call in state["calls"] if screen.shows_counter(call["counter"])],
    }
