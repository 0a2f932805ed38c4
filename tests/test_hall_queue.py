"""Issue 15 item 10: the voice never falls behind the screen. Calls are heard in order and every
one is spoken; a hall is handed its next call only as it is about to be free; when more than
``shorten_after`` calls wait, they are spoken short ("Mời số E hai mươi lăm, quầy sáu"); a recall
of a ticket still waiting merges into its call. (Timing in real life: bench/bench_voice_backlog.py.)"""

import pytest
from tests.helpers import Published
from tests.speech_helpers import GatedEngine

from layso.events import ANNOUNCEMENT_READY
from layso.speech.announcer import Announcer, VoiceSettings, announcement_text, short_voice
from layso.speech.hall_queue import CHIME_S, GAP_S, LEAD_S, Call, HallQueue
from layso.settings import SettingsError

VOICE = VoiceSettings()  # shorten_after = 2


def call(number, counter=1, *, recall=False, voice=VOICE):
    return Call({"number": number}, counter, voice, recall=recall)


def take_all(queue, now=0.0):
    """Hand over everything that is due at ``now``, one after another, as if each took no time."""
    taken = []
    while (item := queue.take(now)) is not None:
        lane, handed = item
        taken.append((handed.ticket["number"], handed.short))
        queue.handed(lane, float("-inf"), audio_s=0, chime=False)  # spoken already: free again
    return taken


def test_calls_are_handed_over_in_the_order_they_were_made():
    queue = HallQueue()
    for number in ("A001", "B001", "A002"):
        queue.add(call(number), "hall")
    assert [number for number, _ in take_all(queue)] == ["A001", "B001", "A002"]


def test_the_next_call_waits_until_the_hall_is_about_to_be_free():
    queue = HallQueue()
    queue.add(call("A001"), "hall")
    queue.add(call("A002"), "hall")
    lane, first = queue.take(0.0)
    queue.handed(lane, 0.0, audio_s=4.0, chime=True)
    busy = CHIME_S + 4.0 + GAP_S
    assert queue.take(busy - LEAD_S - 0.01) is None
    assert queue.wait_s(0.0) == pytest.approx(busy - LEAD_S)
    assert queue.take(busy - LEAD_S)[1].ticket["number"] == "A002"
    assert queue.wait_s(busy) is None  # nothing waits


def test_up_to_shorten_after_waiting_calls_are_spoken_in_full():
    queue = HallQueue()
    queue.add(call("A001"), "hall")
    queue.add(call("A002"), "hall")
    assert take_all(queue) == [("A001", False), ("A002", False)]


def test_more_waiting_calls_than_shorten_after_are_all_spoken_short_even_as_the_queue_drains():
    queue = HallQueue()
    lane, first = (queue.add(call("E024"), "hall"), queue.take(0.0))[1]
    queue.handed(lane, 0.0, audio_s=4.0, chime=True)  # E024 is being spoken in full
    for number in ("E025", "E026", "E027"):
        queue.add(call(number), "hall")
    assert take_all(queue, now=100.0) == [("E025", True), ("E026", True), ("E027", True)]
    queue.add(call("E028"), "hall")  # the backlog is gone: in full again
    assert take_all(queue, now=200.0) == [("E028", False)]


@pytest.mark.parametrize("shorten_after, shorts", [(0, [True]), (1, [True, True]), (3, [False, False])])
def test_shorten_after_is_the_voice_s_setting(shorten_after, shorts):
    queue = HallQueue()
    voice = VoiceSettings(shorten_after=shorten_after)
    for number in ("A001", "A002")[:len(shorts)]:
        queue.add(call(number, voice=voice), "hall")
    assert [short for _, short in take_all(queue)] == shorts


def test_a_recall_of_a_ticket_still_waiting_merges_into_its_call():
    queue = HallQueue()
    assert queue.add(call("A001"), "hall")
    assert queue.add(call("A002"), "hall")
    assert not queue.add(call("A001", recall=True), "hall")  # merged: A001 will be heard soon
    assert queue.add(call("A002", counter=3, recall=True), "hall")  # another counter: its own call
    assert [number for number, _ in take_all(queue)] == ["A001", "A002", "A002"]


def test_a_recall_after_its_call_was_handed_over_is_spoken_again():
    queue = HallQueue()
    queue.add(call("A001"), "hall")
    take_all(queue)
    assert queue.add(call("A001", recall=True), "hall")
    assert take_all(queue) == [("A001", False)]


def test_halls_keep_their_own_pace_and_calls_no_screen_plays_are_neither_paced_nor_short():
    queue = HallQueue()
    queue.add(call("A001"), "hall")
    lane, _ = queue.take(0.0)
    queue.handed(lane, 0.0, audio_s=5.0, chime=True)
    queue.add(call("A002"), "hall")
    queue.add(call("G001", 7), "tang-2")
    for number in ("K001", "K002", "K003"):
        queue.add(call(number, 9), None)
    taken = [queue.take(0.1)[1] for _ in range(4)]
    assert {call.ticket["number"] for call in taken} == {"G001", "K001", "K002", "K003"}
    assert not any(call.short for call in taken)  # no hall waits for counter 9's calls
    assert queue.take(0.1) is None  # the hall is still speaking A001
    assert len(queue) == 1


def test_flush_hands_over_everything_at_once():
    queue = HallQueue()
    queue.add(call("A001"), "hall")
    lane, _ = queue.take(0.0)
    queue.handed(lane, 0.0, audio_s=60.0, chime=True)
    queue.add(call("A002"), "hall")
    assert queue.take(1.0) is None
    assert queue.take(1.0, flush=True)[1].ticket["number"] == "A002"


def test_the_short_form_reads_the_number_and_the_counter():
    voice = short_voice(VoiceSettings())
    assert announcement_text(voice.template, label="E025", counter=6, dialect=voice.dialect,
                             digit_by_digit=False) == "Mời số E hai mươi lăm, quầy sáu"


@pytest.mark.parametrize("key, value", [("shorten_after", -1), ("shorten_after", True), ("shorten_after", "2"),
                                        ("short_template", "Mời số {so}"), ("short_template", 5)])
def test_bad_backlog_settings_are_refused_naming_their_key(key, value):
    with pytest.raises(ValueError, match=f"voice.{key}"):
        VoiceSettings(**{key: value})


def test_short_template_and_shorten_after_come_from_the_voice_section(make_settings):
    from display.voice import voice_settings

    voice = voice_settings({"short_template": "Số {number}, quầy {counter}", "shorten_after": 4})
    assert (voice.short_template, voice.shorten_after) == ("Số {number}, quầy {counter}", 4)
    with pytest.raises(SettingsError, match="voice.shorten_after"):
        voice_settings({"shorten_after": 101})


def test_announcer_speaks_a_backlog_short_without_the_chime_and_merges_a_recall(tmp_path):
    """Paced like a hall: while the first call is being made, four more and a recall arrive."""
    events = Published()
    engine = GatedEngine()
    announcer = Announcer(engine, tmp_path / "audio", events)
    try:
        announcer.announce({"number": "E024"}, 6, VOICE, lane="hall")
        assert engine.started.wait(30)
        for number in ("E025", "E026", "E027", "E028"):
            announcer.announce({"number": number}, 6, VOICE, lane="hall")
        announcer.announce({"number": "E026"}, 6, VOICE, recall=True, lane="hall")
        engine.gate.set()
        ready = events.wait_for_count(5, ANNOUNCEMENT_READY, timeout_s=60)
        assert [(event.data["ticket"]["number"], event.data["short"]) for event in ready] == [
            ("E024", False), ("E025", True), ("E026", True), ("E027", True), ("E028", True)]
        assert ready[1].data["text"] == "Mời số E hai mươi lăm, quầy sáu"
        assert ready[0].data["text"] == "Xin mời công dân có số thứ tự E hai mươi tư đến quầy số sáu"
    finally:
        announcer.close()
    assert len(events.named(ANNOUNCEMENT_READY)) == 5  # the recall merged: nothing more after close
