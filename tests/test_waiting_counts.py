"""The waiting counts kept by triggers (migration m009) and what reads them: "people
ahead" on every ticket and the waiting figure of every service. Each is checked against
a plain count of the tickets themselves, after every step of a long random day."""

import random

import pytest

from layso.errors import LaysoError
from layso.queue import calling
from layso.queue.day import expire_past_days
from layso.queue.estimates import service_estimates, ticket_position
from layso.queue.tickets import issue_ticket
from layso.store.db import open_db
from layso.store.migrations import migrate
from layso.store.seed import seed_database
from tests.helpers import later, open_counters

OFFICERS = {1: "an", 2: "binh", 3: "cuong", 4: "dung"}


def counted(db, day):
    """{(service, transferred, priority): waiting} by counting the tickets."""
    return {
        (service, transferred, priority): waiting
        for service, transferred, priority, waiting in db.execute(
            "SELECT service, transferred, priority, COUNT(*) FROM tickets WHERE day = ? AND status = 'waiting' "
            "GROUP BY service, transferred, priority", [day]
        )
    }


def kept(db, day):
    return {
        (service, transferred, priority): waiting
        for service, transferred, priority, waiting in db.execute(
            "SELECT service, transferred, priority, waiting FROM waiting_counts WHERE day = ? AND waiting != 0", [day]
        )
    }


def ahead_by_counting(db, ticket):
    """Waiting in the same queue and due first: transferred, then priority, then older."""
    key = (-ticket["transferred"], -ticket["priority"], ticket["queued_at"], ticket["id"])
    return sum(
        1 for other in db.query("SELECT * FROM tickets WHERE day = ? AND service = ? AND status = 'waiting'",
                                [ticket["day"], ticket["service"]])
        if (-other["transferred"], -other["priority"], other["queued_at"], other["id"]) < key
    )


def random_step(db, rng, moment):
    """One thing that happens in a center: a number taken (some with priority) or a
    counter calling, recalling, holding, transferring, finishing, sending away."""
    counter = rng.choice(list(OFFICERS))
    officer = OFFICERS[counter]
    action = rng.choice(["issue", "issue", "issue", "call", "call", "finish", "no_show", "cancel", "hold",
                         "transfer_service", "transfer_counter", "recall"])
    try:
        if action == "issue":
            reason = rng.choice([None, None, "elderly"])
            issue_ticket(db, rng.choice(["HT", "LLTP", "GCN"]), now=moment, priority_reason=reason)
        elif action == "call":
            calling.call_next(db, counter, officer=officer, now=moment)
        elif action == "transfer_service":
            calling.transfer(db, counter, officer=officer, now=moment, service=rng.choice(["HT", "LLTP", "GCN"]))
        elif action == "transfer_counter":
            calling.transfer(db, counter, officer=officer, now=moment, counter=rng.choice(list(OFFICERS)),
                             force=True)
        else:
            getattr(calling, action)(db, counter, officer=officer, now=moment)
    except LaysoError:
        pass  # nothing to act on, a closed service: the same as at a real counter


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_and_people_ahead_match_counting_through_a_random_day(db, now, seed):
    rng = random.Random(seed)
    open_counters(db, now, c1="an", c2="binh", c3="cuong", c4="dung")
    day = now.date().isoformat()
    seen = set()
    for step in range(300):
        # several steps share a second, as at a busy kiosk: ties are broken by id
        random_step(db, rng, later(now, seconds=step // 3))
        assert kept(db, day) == counted(db, day), f"step {step}"
        if step % 10:
            continue
        for ticket in db.query("SELECT * FROM tickets WHERE day = ? AND status = 'waiting'", [day]):
            assert ticket_position(db, ticket)[0] == ahead_by_counting(db, ticket), (step, ticket["number"])
            seen.add((ticket["transferred"], ticket["priority"]))
        by_service = {}
        for (service, _transferred, _priority), count in counted(db, day).items():
            by_service[service] = by_service.get(service, 0) + count
        assert {code: waiting for code, (waiting, _) in service_estimates(db, day=day).items()} == by_service
    assert seen == {(0, 0), (0, 1), (1, 0), (1, 1)}  # every kind of bucket was checked


def test_end_of_day_empties_the_counts_of_the_day(db, now):
    for minute in range(3):
        issue_ticket(db, "HT", now=later(now, minutes=minute))
    expire_past_days(db, now=later(now, minutes=24 * 60))
    assert kept(db, now.date().isoformat()) == {}


def test_the_migration_counts_the_tickets_already_waiting(settings, now, tmp_path):
    """A center upgrading mid-day: tickets waiting before m009 are counted by it."""
    database = open_db(tmp_path / "upgrade.db")
    migrate(database, stop_before="m009_waiting_counts")
    seed_database(database, settings)
    day = now.date().isoformat()
    for seq, (priority, status) in enumerate([(0, "waiting"), (1, "waiting"), (1, "waiting"), (0, "finished")], 1):
        database.execute(
            "INSERT INTO tickets (day, service, number_service, seq, number, priority, status, status_token, "
            "issued_at, queued_at) VALUES (?, 'HT', 'HT', ?, ?, ?, ?, ?, ?, ?)",
            [day, seq, f"A{seq:03d}", priority, status, f"token-{seq}", now.isoformat(), now.isoformat()],
        )
    migrate(database)
    assert kept(database, day) == counted(database, day) == {("HT", 0, 0): 1, ("HT", 0, 1): 2}
    database.conn.close()
