"""The calls a hall has yet to hear, handed to its speaking screen at the pace it can speak them.

Eight quick calls once left the voice 20 s behind the screen (issue 15 item 10): every call was
spoken in full, one after another. Now the announcer keeps the calls not yet handed to the
hall here, and hands over the next one only when the hall is about to be free (its estimate of
the current announcement's end: chime, audio, a gap). So this queue *is* the hall's backlog,
and its rules are:

- **order**: calls are heard in the order they were made, in each hall (lane);
- **every call**: nothing is dropped — except a recall of a ticket still waiting here, which
  merges into that call (the hall will hear the number once, soon);
- **never let the hall wait**: when more than ``shorten_after`` calls wait in a lane as one is
  handed over, every one waiting then is spoken in the short form ("Mời số E hai mươi lăm,
  quầy sáu", ``[voice] short_template``), without the chime.

Pure: times are passed in (seconds, any monotonic clock); the announcer owns the thread.
"""

from dataclasses import dataclass, field

CHIME_S = 1.4  # the display's own chime before a full call (hall.js chime(): 1.3 s and a 0.1 s rest)
GAP_S = 0.3  # between two announcements: the display fetches the file, the hall breathes
LEAD_S = 1.0  # hand the next call over this long before the hall is free, so it never waits for it


@dataclass
class Call:
    """One call waiting to be heard: ``settings`` is the voice it was made with (opaque here but
    for ``shorten_after``); ``short`` is set when a backlog makes it short."""

    ticket: dict
    counter: int
    settings: object
    recall: bool = False
    short: bool = False


@dataclass
class _Lane:
    waiting: list = field(default_factory=list)
    free_at: float = float("-inf")  # when the hall will have finished what it was handed


class HallQueue:
    """The calls of every hall (lane) not yet handed to it. ``lane`` None: no screen plays the
    call's counter — handed over at once, in full, taking no hall's time."""

    def __init__(self):
        self._lanes: dict = {}

    def add(self, call: Call, lane) -> bool:
        """Queue ``call`` at the end of its lane. A recall of a ticket still waiting there (same
        number, same counter) merges into that call: returns False, nothing is added."""
        waiting = self._lanes.setdefault(lane, _Lane()).waiting
        if call.recall and any(queued.ticket.get("number") == call.ticket.get("number")
                               and queued.counter == call.counter for queued in waiting):
            return False
        waiting.append(call)
        return True

    def take(self, now: float, *, flush: bool = False):
        """The next call to hand over: the oldest of a lane whose hall is free (or about to be,
        LEAD_S ahead) at ``now`` — ``flush``: of any lane, at once. Returns (lane, call) or None.
        When more than its ``shorten_after`` calls wait in the lane, every one of them is marked short."""
        ready = [(lane, state) for lane, state in self._lanes.items() if state.waiting
                 and (flush or lane is None or state.free_at - LEAD_S <= now)]
        if not ready:
            return None
        lane, state = min(ready, key=lambda item: item[1].free_at)
        if lane is not None and len(state.waiting) > state.waiting[0].settings.shorten_after:
            for call in state.waiting:
                call.short = True
        return lane, state.waiting.pop(0)

    def handed(self, lane, now: float, *, audio_s: float, chime: bool) -> None:
        """The call just taken from ``lane`` was handed to the hall at ``now``: it will be busy
        with it for the chime (if the display plays one), the audio and a gap."""
        if lane is None:
            return
        state = self._lanes.setdefault(lane, _Lane())
        state.free_at = max(now, state.free_at) + (CHIME_S if chime else 0.0) + audio_s + GAP_S

    def wait_s(self, now: float):
        """Seconds until :meth:`take` may hand something over (0: now), or None when nothing waits."""
        times = [0.0 if lane is None else max(0.0, state.free_at - LEAD_S - now)
                 for lane, state in self._lanes.items() if state.waiting]
        return min(times) if times else None

    def __len__(self) -> int:
        return sum(len(state.waiting) for state in self._lanes.values())
