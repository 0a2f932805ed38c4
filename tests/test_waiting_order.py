import pytest

from layso.queue.counters import load_counter
from layso.queue.waiting import next_waiting, waiting_rows
from layso.store.center import get_setting, set_setting
from tests.helpers import issue, later


@pytest.mark.parametrize("ordering", ["strict", "interleave"])
@pytest.mark.parametrize("priority_run", [0, 5])
def test_next_waiting_is_always_the_head_of_the_console_list(db, now, ordering, priority_run):
    """call-next reads the queue by index seeks; the console sorts the whole list. Draining a
    mixed queue (priority, transfers, tickets sent to one counter, two services, equal times)
    must give the same ticket from both at every step, for each counter."""
    set_setting(db, "queue", {**get_setting(db, "queue", {}), "ordering": ordering}, by="test", now=now)
    for minute, (service, priority) in enumerate([("HT", False), ("LLTP", False), ("HT", True), ("HT", False),
                                                  ("LLTP", True), ("HT", False), ("LLTP", False), ("HT", True)]):
        issue(db, service, later(now, minutes=minute % 3), priority=priority)
    db.execute("UPDATE tickets SET transferred = 1 WHERE id IN (4, 7)")
    db.execute("UPDATE tickets SET transferred = 1, target_counter = 1 WHERE id = 6")
    db.execute("UPDATE tickets SET target_counter = 2 WHERE id = 2")
    db.execute("UPDATE counters SET priority_run = ?", [priority_run])
    day = now.date().isoformat()
    for number in (1, 2):
        counter = load_counter(db, number)
        called = []
        while (head := next(iter(waiting_rows(db, counter, day=day, limit=1)), None)) is not None:
            assert next_waiting(db, counter, day=day)["id"] == head["id"]
            db.execute("UPDATE tickets SET status = 'called' WHERE id = ?", [head["id"]])
            called.append(head["id"])
        assert next_waiting(db, counter, day=day) is None
        db.execute("UPDATE tickets SET status = 'waiting' WHERE id IN (%s)" % ", ".join(map(str, called)))
        assert len(called) == 7  # all but the ticket sent to the other counter
