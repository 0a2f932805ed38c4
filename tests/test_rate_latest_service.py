"""A tablet rates the service that ended last at its counter, even when two ended in the
same second (timestamps have one-second steps; ticket ids follow issue order, not service)."""

import pytest

from layso.errors import RatingNotAllowed
from layso.queue.calling import call_next, finish
from layso.queue.ratings import rate
from tests.helpers import issue, later, open_counters


def test_rating_goes_to_the_service_finished_last_even_within_the_same_second(db, now):
    open_counters(db, now, c1="an")
    normal = issue(db, "HT", now)
    elderly = issue(db, "HT", now, priority=True, priority_reason="elderly")  # higher id, called first
    moment = later(now, minutes=5)
    assert call_next(db, 1, officer="an", now=moment).value["id"] == elderly["id"]
    finish(db, 1, officer="an", now=moment)
    assert call_next(db, 1, officer="an", now=moment).value["id"] == normal["id"]
    finish(db, 1, officer="an", now=moment)

    with pytest.raises(RatingNotAllowed):
        rate(db, ticket_id=elderly["id"], counter=1, level="satisfied", device="t1", now=moment)
    rating = rate(db, ticket_id=normal["id"], counter=1, level="satisfied", device="t1", now=moment).value

    assert rating["ticket"] == normal["id"] and rating["officer"] == "an"
