"""Restoring a backup without putting the live database at risk.

A file to restore is never trusted. Its bytes are copied to a scratch file beside the
backups and checked there as a whole: SQLite's integrity check; the migrations it records
must be a beginning of ours (a backup of a newer version is refused); its schema — every
table, column, constraint, index, trigger and view — must be exactly what our migrations
build at that version; then it is migrated, opened as the server opens its database, its
foreign keys checked and every row of every table read (text that is not UTF-8 would
break every request that reads it). The caller then runs its own smoke queries on it.
All of this is on the scratch copy (:func:`prepare`), which may take half a minute for a
year's database: the caller can run it off gevent's hub.

Only a copy that passed is swapped in: SQLite's backup API copies it into the live
database in one transaction through the server's own connection (:func:`swap_in`).
Readers see the old database or the new one, never a mix; a failure rolls the copy back
and leaves the live database as it was. No file is renamed over the live one: a pooled
connection lent to a request at that moment would go on writing into the old, unlinked
file, and an acknowledged ticket would vanish with it.
"""

import logging
import re
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from layso.errors import InvalidInput, LaysoError, RestoreFailed
from layso.store.db import Store, ensure_writable, open_db
from layso.store.migrations import migrate

log = logging.getLogger(__name__)

NOT_A_BACKUP = ("Tệp không phải bản sao lưu của LấySố.", "The file is not a LấySố backup.")
DAMAGED = ("Bản sao lưu bị hỏng hoặc không phải tệp SQLite.", "The backup is damaged or not an SQLite file.")
UNUSABLE = ("Dữ liệu trong bản sao lưu không dùng được.", "The data in the backup cannot be used.")


def _refuse(message: tuple[str, str], detail: str = "") -> InvalidInput:
    vietnamese, english = message
    if detail:
        vietnamese, english = f"{vietnamese} ({detail})", f"{english} ({detail})"
    return InvalidInput(vietnamese, message_en=english)


@contextmanager
def refused_on_failure(message: tuple[str, str], step: str):
    """Anything that goes wrong while checking a scratch copy means the file cannot be
    restored: it answers InvalidInput with ``message``, and the cause goes to the log.
    The live database is never touched inside such a step, so nothing is lost."""
    try:
        yield
    except LaysoError:
        raise
    except Exception as error:  # foreign data may break any query or migration in any way
        log.warning("restore refused at %s: %r", step, error)
        raise _refuse(message) from error


@contextmanager
def scratch_file(folder: Path):
    """A fresh name for a scratch copy in ``folder``; the copy and SQLite's files beside it
    are removed afterwards."""
    scratch = folder / f"restore-{secrets.token_hex(6)}.db"
    try:
        yield scratch
    finally:
        for path in (scratch, *(Path(f"{scratch}{suffix}") for suffix in ("-journal", "-wal", "-shm"))):
            path.unlink(missing_ok=True)


def prepare(source: Path, scratch: Path, *, page_size: int | None = None, smoke=None) -> None:
    """Copy ``source`` to ``scratch`` and check the copy through, migrate it, bring it to
    ``page_size`` (the live database's: SQLite cannot copy across page sizes into a WAL
    database), and let ``smoke(store)`` read it as the app does. Raises InvalidInput, naming
    what is wrong; the live database is not involved."""
    with refused_on_failure(DAMAGED, "copy"):
        shutil.copyfile(source, scratch)
    _check_as_stored(scratch, page_size=page_size)
    store = None
    try:
        with refused_on_failure(NOT_A_BACKUP, "migrate"):
            store = open_db(scratch)  # as the server opens its database: WAL, foreign keys
            migrate(store)
        _compare(schema_of(store.conn), reference_schema(None), "migrated")
        with refused_on_failure(DAMAGED, "read"):
            for table in tables_of(store.conn):
                for _row in store.conn.execute(f'SELECT * FROM "{table}"'):
                    pass
        if smoke is not None:
            with refused_on_failure(UNUSABLE, "smoke"):
                smoke(store)
    finally:
        if store is not None:
            store.conn.close()


def _check_as_stored(scratch: Path, *, page_size: int | None) -> None:
    """The copy as it came: intact, recording a beginning of our migrations, and with
    exactly the schema they build up to there. Leaves it in rollback-journal mode, at
    ``page_size`` if given."""
    with refused_on_failure(DAMAGED, "open"):
        connection = sqlite3.connect(str(scratch), isolation_level=None)
    try:
        with refused_on_failure(DAMAGED, "integrity"):
            connection.execute("PRAGMA journal_mode=DELETE")  # a WAL-mode file without its -wal is whole
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise _refuse(DAMAGED, problems[0][:200])
        with refused_on_failure(NOT_A_BACKUP, "migrations"):
            applied = [row[0] for row in connection.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'layso' ORDER BY rowid")]
        known = migration_names()
        if any(name not in known for name in applied):
            raise InvalidInput("Bản sao lưu được tạo bởi phiên bản LấySố mới hơn phiên bản đang chạy.",
                               message_en="The backup was made by a newer version of LấySố than the one running.")
        if not applied or applied != known[:len(applied)]:
            raise _refuse(NOT_A_BACKUP)
        with refused_on_failure(DAMAGED, "schema"):
            found = schema_of(connection)
        _compare(found, reference_schema(known[len(applied)] if len(applied) < len(known) else None), "as stored")
        with refused_on_failure(DAMAGED, "page size"):
            if page_size and connection.execute("PRAGMA page_size").fetchone()[0] != page_size:
                connection.execute(f"PRAGMA page_size={int(page_size)}")
                connection.execute("VACUUM")
    finally:
        connection.close()


def _compare(found: dict, expected: dict, stage: str) -> None:
    if found != expected:
        differing = sorted(set(found.items()) ^ set(expected.items()))
        kind, name = differing[0][0]
        log.warning("restore refused: schema %s differs at %s %s", stage, kind, name)
        raise _refuse(NOT_A_BACKUP, f"{kind} {name}")


# Comments, runs of white space and identifier quotes are how a statement was typed (and
# SQLite adds quotes when it renames a table), not what it makes.
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_PUNCTUATION_SPACE = re.compile(r" ?([(),]) ?")


def normalized_sql(sql: str) -> str:
    text = _SPACE.sub(" ", _COMMENT.sub(" ", sql)).translate(str.maketrans("", "", '"[]`'))
    return _PUNCTUATION_SPACE.sub(r"\1", text).strip()


def schema_of(connection: sqlite3.Connection) -> dict:
    """(type, name) → the statement that made it, for every table, index, trigger and view
    but SQLite's own (``sqlite_…``: automatic indexes, sequences, statistics)."""
    rows = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    ).fetchall()
    return {(kind, name): normalized_sql(sql or "") for kind, name, sql in rows}


def tables_of(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")]


def _migrated_in_memory(stop_before: str | None) -> sqlite3.Connection:
    store = Store(sqlite3.connect(":memory:", isolation_level=None))
    migrate(store, stop_before=stop_before)
    return store.conn


def reference_schema(stop_before: str | None) -> dict:
    """What our migrations build, all of them or those before ``stop_before``."""
    connection = _migrated_in_memory(stop_before)
    try:
        return schema_of(connection)
    finally:
        connection.close()


def migration_names() -> list[str]:
    """Our migrations' names, in order."""
    connection = _migrated_in_memory(None)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        connection.close()


def check_layso_db(path: Path) -> None:
    """Refuse anything but an intact LấySố database (the checks of a restore, on a scratch
    copy beside ``path``). Raises InvalidInput."""
    with scratch_file(Path(path).parent) as scratch:
        prepare(path, scratch)


def swap_in(db: Store, scratch: Path) -> None:
    """Copy the checked scratch database into the live database behind ``db``, in one
    transaction, and return once it is on disk. Raises RestoreFailed (the copy rolled
    back), or WritesStopped when the store has stopped."""
    ensure_writable(db)
    checked = sqlite3.connect(str(scratch))
    try:
        checked.backup(db.conn)
    except sqlite3.Error as error:
        log.error("restore: copying the checked backup in failed, rolled back: %s", error)
        raise RestoreFailed() from error
    finally:
        checked.close()
    if db.wal_sync is not None:
        db.wal_sync.committed()
