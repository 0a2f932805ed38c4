"""The public province page (/cong-khai): for a month, each center's tickets issued and served,
average wait and satisfaction rate (the center's definitions), ranked — aggregate figures only,
never a name, number or comment. Nothing is written (a public GET): unbuilt days are read live.
A deactivated center (a commune merged into another) keeps its months up to the one it was
deactivated in, marked so, and is not listed after."""

from datetime import date, datetime

from layso.province.reports import province_summary


def _order(row: dict):
    """Most satisfied first, then the shortest average wait, then the most served; a center
    with no rating or no wait comes after those with one."""
    satisfied, wait = row["satisfied_pct"], row["avg_wait_s"]
    return (row["issued"] == 0, satisfied is None, -(satisfied or 0), wait is None, wait or 0, -row["served"], row["center"])


def _deactivations(connection, *, now: datetime) -> dict[str, date]:
    """The province's local day each deactivated center was deactivated on, by code."""
    return {code: at.astimezone(now.tzinfo).date() for code, at in connection.execute(
        "SELECT code, deactivated_at FROM centers WHERE NOT active AND deactivated_at IS NOT NULL")}


def public_ranking(connection, first: str, last: str, *, now: datetime) -> list[dict]:
    """[{rank, center, name, issued, served, avg_wait_s, satisfied_pct, rated, deactivated_on}]
    for the period; centers equal on satisfaction and wait share a rank (1, 2, 2, 4); centers
    with no ticket in the period are listed last, unranked. A center deactivated before the
    period starts is left out; one deactivated since has ``deactivated_on`` (YYYY-MM-DD)."""
    names = dict(connection.execute("SELECT code, name FROM centers").fetchall())
    deactivated = _deactivations(connection, now=now)
    rows = sorted((row for row in province_summary(connection, first, last, "center", now=now, build=False)
                   if row["center"] not in deactivated or deactivated[row["center"]].isoformat() >= first), key=_order)
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(rows, start=1):
        key = (row["satisfied_pct"], row["avg_wait_s"])
        if row["issued"] == 0:
            shown_rank = None
        else:
            if key != previous:
                rank, previous = position, key
            shown_rank = rank
        ranked.append({"rank": shown_rank, "center": row["center"], "name": names.get(row["center"], row["center"]),
                       "issued": row["issued"], "served": row["served"], "avg_wait_s": row["avg_wait_s"],
                       "satisfied_pct": row["satisfied_pct"], "rated": sum(row["ratings"].values()),
                       "deactivated_on": deactivated[row["center"]].isoformat() if row["center"] in deactivated else None})
    return ranked
