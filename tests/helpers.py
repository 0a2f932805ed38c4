"""Helpers shared by tests (fixtures are in conftest.py)."""

from datetime import timedelta

from layso.queue.calling import call_next, finish
from layso.queue.counters import open_counter
from layso.queue.tickets import issue_ticket


def later(moment, seconds=0, minutes=0):
    return moment + timedelta(seconds=seconds, minutes=minutes)


def issue(db, service, now, **options):
    """Issue a ticket and return its API object."""
    return issue_ticket(db, service, now=now, **options).value


def open_counters(db, now, **officers_by_counter):
    """open_counters(db, now, c1="an", c2="binh")"""
    for key, officer in officers_by_counter.items():
        open_counter(db, int(key[1:]), officer=officer, now=now)


def serve(db, counter, officer, now, *, minutes=5):
    """Call the next ticket and finish it ``minutes`` later; return the ticket object."""
    ticket = call_next(db, counter, officer=officer, now=now).value
    finish(db, counter, officer=officer, now=later(now, minutes=minutes))
    return ticket
