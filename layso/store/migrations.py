"""The schema, one function per change, applied in order at start (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one. ``migrate`` runs them all inside
one ``BEGIN IMMEDIATE`` so two processes opening a new file at once cannot both build it.
"""

import sqlite3

from sqlite_utils.migrations import Migrations

from layso.store.db import write

migrations = Migrations("layso")


def run_script(db, sql: str) -> None:
    """Run several statements inside the open migration transaction, one by one.

    sqlite3's ``executescript`` would commit first, and sqlite-utils' splitter re-checks
    the script at every character (≈0.1 s for the first schema, paid at every start and
    by every test database); whole lines are enough."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:80]}")


@migrations()
def m001_initial(db):
    """Configuration tables (seeded from TOML, then edited by admins), tickets, the
    per-call visits that reports read, the append-only event log, ratings."""
    run_script(
        db,
        """
        CREATE TABLE center_settings (          -- cấu hình trung tâm (JSON values)
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE fields (                   -- lĩnh vực
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE services (                 -- dịch vụ / nhóm thủ tục, one queue each
            code TEXT PRIMARY KEY,
            prefix TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            field TEXT NOT NULL REFERENCES fields(code),
            procedures TEXT NOT NULL DEFAULT '[]',
            number_digits INTEGER NOT NULL DEFAULT 3,
            start_number INTEGER NOT NULL DEFAULT 1,
            daily_cap INTEGER,
            wait_target_s INTEGER,
            closed_reason TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE users (                    -- cán bộ, lãnh đạo, quản trị
            username TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            photo TEXT,
            role TEXT NOT NULL CHECK (role IN ('officer', 'manager', 'admin')),
            password_hash TEXT NOT NULL,
            must_change_password INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE counters (                 -- quầy
            number INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            services TEXT NOT NULL,             -- JSON list of service codes, in preference order
            status TEXT NOT NULL DEFAULT 'closed'
                CHECK (status IN ('serving', 'idle', 'paused', 'closed')),
            officer TEXT REFERENCES users(username),
            current_ticket INTEGER,
            paused_reason TEXT,
            priority_run INTEGER NOT NULL DEFAULT 0,   -- priority calls in a row (interleave policy)
            active INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT
        );
        CREATE UNIQUE INDEX counters_one_per_officer ON counters(officer) WHERE officer IS NOT NULL;
        CREATE TABLE tickets (                  -- số thứ tự
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,                  -- local date the number belongs to
            service TEXT NOT NULL REFERENCES services(code),
            seq INTEGER NOT NULL,
            number TEXT NOT NULL,               -- the label printed and spoken, e.g. A015
            priority INTEGER NOT NULL DEFAULT 0,
            priority_reason TEXT,
            kiosk TEXT,
            status TEXT NOT NULL CHECK (status IN
                ('waiting', 'called', 'held', 'finished', 'no_show', 'expired', 'cancelled')),
            status_token TEXT NOT NULL UNIQUE,  -- the citizen's unguessable status link
            issued_at TEXT NOT NULL,
            queued_at TEXT NOT NULL,            -- last time it (re)entered a queue
            transferred INTEGER NOT NULL DEFAULT 0,
            target_counter INTEGER,             -- transferred to one counter
            called_at TEXT,
            first_called_at TEXT,
            held_at TEXT,
            finished_at TEXT,
            closed_at TEXT,
            counter INTEGER,                    -- last counter that called it
            officer TEXT,                       -- last officer that called it
            calls INTEGER NOT NULL DEFAULT 0,
            wait_s REAL NOT NULL DEFAULT 0,     -- total time waiting in queues
            service_s REAL NOT NULL DEFAULT 0,  -- total time at counters
            print_status TEXT,
            print_error TEXT,
            UNIQUE (day, service, seq),
            UNIQUE (day, number)
        );
        CREATE INDEX tickets_queue ON tickets(status, service, priority, queued_at);
        CREATE INDEX tickets_day ON tickets(day);
        CREATE TABLE visits (                   -- one stretch at a counter: call → end
            id INTEGER PRIMARY KEY,
            ticket INTEGER NOT NULL REFERENCES tickets(id),
            day TEXT NOT NULL,
            service TEXT NOT NULL,
            counter INTEGER NOT NULL,
            officer TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            called_at TEXT NOT NULL,
            wait_s REAL NOT NULL,
            ended_at TEXT,
            outcome TEXT,                       -- finished, no_show, transferred, held, cancelled, expired
            service_s REAL
        );
        CREATE INDEX visits_day ON visits(day);
        CREATE INDEX visits_ticket ON visits(ticket);
        CREATE INDEX visits_service ON visits(service, outcome, id);
        CREATE TABLE ticket_events (            -- nhật ký: append-only audit of every action
            id INTEGER PRIMARY KEY,
            ticket INTEGER NOT NULL REFERENCES tickets(id),
            day TEXT NOT NULL,
            action TEXT NOT NULL,
            at TEXT NOT NULL,
            counter INTEGER,
            officer TEXT,
            service TEXT,
            detail TEXT
        );
        CREATE INDEX ticket_events_ticket ON ticket_events(ticket);
        CREATE TABLE ratings (                  -- đánh giá mức độ hài lòng, anonymous
            id INTEGER PRIMARY KEY,
            ticket INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            level TEXT NOT NULL,
            reasons TEXT NOT NULL DEFAULT '[]',
            comment TEXT,
            officer TEXT NOT NULL,
            counter INTEGER NOT NULL,
            service TEXT NOT NULL,
            device TEXT
        );
        CREATE INDEX ratings_day ON ratings(day);
        CREATE TABLE tokens (                   -- login tokens, stored hashed
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES users(username),
            expires_at TEXT NOT NULL
        );
        CREATE TABLE devices (                  -- registered kiosks, displays, tablets
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display', 'tablet')),
            name TEXT NOT NULL,
            counter INTEGER,
            token_hash TEXT NOT NULL UNIQUE,
            revoked INTEGER NOT NULL DEFAULT 0,
            last_seen TEXT
        );
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        CREATE TABLE audit_log (                -- who changed the center's set-up, and when
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT,
            action TEXT NOT NULL,
            detail TEXT
        );
        """
    )


@migrations()
def m002_dossier_code(db):
    """The dossier code (mã hồ sơ) an officer records, to trace a rating to the dossier."""
    db.execute("ALTER TABLE tickets ADD COLUMN dossier_code TEXT")
    db.execute("ALTER TABLE visits ADD COLUMN note TEXT")


@migrations()
def m003_console_indexes(db):
    """Indexes for the counter console and the tablet on a year of rows: an officer's day
    (visits by officer and day) and a counter's last finished visit (the service its tablet
    may rate), which otherwise walk every finished visit of the year."""
    db.execute("CREATE INDEX visits_officer_day ON visits(officer, day, outcome)")
    db.execute("CREATE INDEX visits_counter_finished ON visits(counter, id) WHERE outcome = 'finished'")


@migrations()
def m004_report_indexes(db):
    """Covering indexes for reports: a period's stretches and ratings are read from the
    index alone, in day order, without visiting the table rows."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS visits_report ON visits(day, officer, counter, service, outcome, wait_s, service_s, ticket)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS ratings_report ON ratings(day, officer, counter, service, level)")


TICKET_COLUMNS = (
    "id, day, service, seq, number, priority, priority_reason, kiosk, status, status_token, issued_at, "
    "queued_at, transferred, target_counter, called_at, first_called_at, held_at, finished_at, closed_at, "
    "counter, officer, calls, wait_s, service_s, print_status, print_error, dossier_code"
)


@migrations()
def m005_number_service(db):
    """A ticket transferred to another service keeps its label (A005) but joins that
    service's queue, so the daily sequence belongs to the service that issued the number
    (``number_service``), not to the queue the ticket is in (``service``). Before this,
    A005 moving into a queue that already had B005 broke UNIQUE (day, service, seq).

    SQLite cannot drop a table constraint, so the table is rebuilt (its documented
    create-copy-drop-rename steps; ``migrate`` turns foreign keys off around it)."""
    run_script(
        db,
        """
        CREATE TABLE tickets_new (              -- số thứ tự
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,                  -- local date the number belongs to
            service TEXT NOT NULL REFERENCES services(code),    -- the queue it waits in now
            number_service TEXT NOT NULL REFERENCES services(code),  -- the service that issued the number
            seq INTEGER NOT NULL,
            number TEXT NOT NULL,               -- the label printed and spoken, e.g. A015
            priority INTEGER NOT NULL DEFAULT 0,
            priority_reason TEXT,
            kiosk TEXT,
            status TEXT NOT NULL CHECK (status IN
                ('waiting', 'called', 'held', 'finished', 'no_show', 'expired', 'cancelled')),
            status_token TEXT NOT NULL UNIQUE,
            issued_at TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            transferred INTEGER NOT NULL DEFAULT 0,
            target_counter INTEGER,
            called_at TEXT,
            first_called_at TEXT,
            held_at TEXT,
            finished_at TEXT,
            closed_at TEXT,
            counter INTEGER,
            officer TEXT,
            calls INTEGER NOT NULL DEFAULT 0,
            wait_s REAL NOT NULL DEFAULT 0,
            service_s REAL NOT NULL DEFAULT 0,
            print_status TEXT,
            print_error TEXT,
            dossier_code TEXT,
            UNIQUE (day, number_service, seq),
            UNIQUE (day, number)
        );
        """
    )
    # The issuing service of older rows: the one whose prefix starts the label.
    db.execute(
        f"""
        INSERT INTO tickets_new ({TICKET_COLUMNS}, number_service)
        SELECT {TICKET_COLUMNS}, COALESCE(
            (SELECT code FROM services
             WHERE substr(tickets.number, 1, length(prefix)) = prefix
               AND substr(tickets.number, length(prefix) + 1, 1) GLOB '[0-9]'),
            service)
        FROM tickets
        """
    )
    run_script(
        db,
        """
        DROP TABLE tickets;
        ALTER TABLE tickets_new RENAME TO tickets;
        CREATE INDEX tickets_queue ON tickets(status, service, priority, queued_at);
        CREATE INDEX tickets_day ON tickets(day);
        """
    )


@migrations()
def m006_report_rollup(db):
    """A derived daily roll-up for reports (docs/reports.md): for each closed day and each
    grouping, the additive parts of every figure, with the exact wait and service values so
    the nearest-rank p90 stays exact. Rebuildable at any time from tickets, visits, ratings."""
    # One statement per execute(): executescript() would commit migrate()'s transaction.
    db.execute(
        """
        CREATE TABLE report_rollup_days (       -- days whose roll-up rows are built
            day TEXT PRIMARY KEY,
            version INTEGER NOT NULL,           -- of the definitions; another version is rebuilt
            built_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE report_rollup (            -- one row per day × grouping × key
            day TEXT NOT NULL,
            grouping TEXT NOT NULL,             -- officer, counter, service, day
            key NOT NULL,                       -- no type: a counter number stays an integer
            issued INTEGER NOT NULL,
            served INTEGER NOT NULL,
            no_show INTEGER NOT NULL,
            transferred INTEGER NOT NULL,
            not_rated INTEGER NOT NULL,
            ratings TEXT NOT NULL,              -- JSON {level id: count}
            wait_s BLOB NOT NULL,               -- every wait, sorted, little-endian float64
            service_s BLOB NOT NULL,            -- every service time, the same way
            PRIMARY KEY (day, grouping, key)
        )
        """
    )


@migrations()
def m007_waiting_queue_index(db):
    """The waiting queue in call order, covering the "people ahead" counts: without it each
    new ticket read every waiting row of its service (slow once thousands wait)."""
    db.execute(
        "CREATE INDEX tickets_waiting ON tickets(day, service, status, transferred, priority, queued_at)"
    )


@migrations()
def m008_targeted_tickets_index(db):
    """Tickets transferred to one counter, found without reading the day's tickets."""
    db.execute("CREATE INDEX tickets_targeted ON tickets(target_counter) WHERE target_counter IS NOT NULL")


@migrations()
def m009_waiting_counts(db):
    """How many wait in each queue bucket, kept by triggers on every change of a ticket,
    whoever makes it: "people ahead" and the waiting figures read a handful of rows
    instead of counting every waiting ticket (a new ticket's count grew with the queue)."""
    run_script(
        db,
        """
        CREATE TABLE waiting_counts (           -- số người đang chờ, per queue bucket
            day TEXT NOT NULL,
            service TEXT NOT NULL,
            transferred INTEGER NOT NULL,
            priority INTEGER NOT NULL,
            waiting INTEGER NOT NULL,
            PRIMARY KEY (day, service, transferred, priority)
        ) WITHOUT ROWID;
        INSERT INTO waiting_counts (day, service, transferred, priority, waiting)
            SELECT day, service, transferred, priority, COUNT(*) FROM tickets
            WHERE status = 'waiting' GROUP BY day, service, transferred, priority;
        CREATE TRIGGER waiting_counts_issued AFTER INSERT ON tickets WHEN NEW.status = 'waiting'
        BEGIN
            INSERT INTO waiting_counts (day, service, transferred, priority, waiting)
                VALUES (NEW.day, NEW.service, NEW.transferred, NEW.priority, 1)
                ON CONFLICT DO UPDATE SET waiting = waiting + 1;
        END;
        CREATE TRIGGER waiting_counts_left AFTER UPDATE OF day, service, status, transferred, priority ON tickets
        WHEN OLD.status = 'waiting'
        BEGIN
            UPDATE waiting_counts SET waiting = waiting - 1
            WHERE day = OLD.day AND service = OLD.service AND transferred = OLD.transferred
              AND priority = OLD.priority;
        END;
        CREATE TRIGGER waiting_counts_joined AFTER UPDATE OF day, service, status, transferred, priority ON tickets
        WHEN NEW.status = 'waiting'
        BEGIN
            INSERT INTO waiting_counts (day, service, transferred, priority, waiting)
                VALUES (NEW.day, NEW.service, NEW.transferred, NEW.priority, 1)
                ON CONFLICT DO UPDATE SET waiting = waiting + 1;
        END;
        CREATE TRIGGER waiting_counts_deleted AFTER DELETE ON tickets WHEN OLD.status = 'waiting'
        BEGIN
            UPDATE waiting_counts SET waiting = waiting - 1
            WHERE day = OLD.day AND service = OLD.service AND transferred = OLD.transferred
              AND priority = OLD.priority;
        END;
        """,
    )


@migrations()
def m010_alerts(db):
    """Event alerts (a printer out of order, a citizen not satisfied) kept in the database:
    a manager opening the dashboard after a restart still sees them."""
    run_script(
        db,
        """
        CREATE TABLE alerts (                   -- cảnh báo sự kiện, newest last
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,                 -- printer, not_satisfied
            kiosk TEXT,                         -- printer alerts: whose printer
            resolved INTEGER,                   -- printer alerts: 1 once it works again
            body TEXT NOT NULL                  -- the alert as the dashboard shows it (JSON)
        );
        CREATE INDEX alerts_printer ON alerts(kiosk) WHERE resolved = 0;
        """,
    )


@migrations()
def m011_ticket_channel(db):
    """Where a ticket came from (``channel``): ``kiosk`` (every ticket so far), ``remote``
    (taken from a phone, /lay-so) or ``appointment`` (a booking checked in at the kiosk)."""
    db.execute("ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'")


@migrations()
def m012_ticket_phone(db):
    """A remote ticket's phone number (E.164, given with consent for this purpose; shown to
    staff only masked: docs/security.md). Counting a phone's remote tickets of a day seeks
    ``tickets_phone``."""
    run_script(
        db,
        """
        ALTER TABLE tickets ADD COLUMN phone TEXT;  -- số điện thoại, remote tickets only
        CREATE INDEX tickets_phone ON tickets(phone, day, number_service) WHERE phone IS NOT NULL;
        """,
    )


@migrations()
def m013_notices(db):
    """The outbox of notices to citizens (SMS, Zalo ZNS): written in the same transaction as
    the event that causes it, sent by a worker afterwards (layso.notify.sender)."""
    run_script(
        db,
        """
        CREATE TABLE notices (                  -- tin nhắn gửi công dân (outbox)
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,           -- stable id given to the gateway ({id}, tracking_id)
            dedupe TEXT NOT NULL UNIQUE,        -- one notice per cause: 'ticket:12:called:1'
            kind TEXT NOT NULL,                 -- called, near, dossier, otp … (layso.notify.texts)
            phone TEXT NOT NULL,                -- E.164; shown masked only
            text TEXT NOT NULL,                 -- the SMS as worded when the event happened
            data TEXT NOT NULL DEFAULT '{}',    -- the placeholders' values (ZNS template_data)
            ticket INTEGER,
            dossier TEXT,
            channel TEXT,                       -- log, sms, zns: set when first tried
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,           -- the center's local time
            created_ts REAL NOT NULL,           -- Unix time: retries and giving up run on the real clock
            next_try_ts REAL NOT NULL,
            give_up_ts REAL NOT NULL,
            sent_at TEXT,
            last_error TEXT
        );
        CREATE INDEX notices_due ON notices(next_try_ts) WHERE status = 'pending';
        CREATE INDEX notices_ticket ON notices(ticket) WHERE ticket IS NOT NULL;
        CREATE INDEX notices_dossier ON notices(dossier) WHERE dossier IS NOT NULL;
        CREATE TABLE notice_opt_outs (          -- "Không nhận tin nhắn nữa" on a ticket's status page
            ticket INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
            at TEXT NOT NULL
        );
        """,
    )


# What the province hub receives of each table (docs/hub-sync.md): an allowlist, so a column
# added later stays at the center until it is named here in a new migration. Never sent:
# tickets.status_token (the citizen's link), priority_reason (a person's group), dossier_code,
# visits.note, ratings.comment and counters.paused_reason (free text), users' password hash
# and photo, tickets.phone (m012).
HUB_COLUMNS_014 = {  # kind → (table, key column, the other columns sent)
    "tickets": ("tickets", "id", "day service number_service seq number priority kiosk channel status issued_at queued_at "
                "transferred target_counter called_at first_called_at held_at finished_at closed_at counter "
                "officer calls wait_s service_s"),
    "visits": ("visits", "id", "ticket day service counter officer queued_at called_at wait_s ended_at outcome service_s"),
    "ratings": ("ratings", "id", "ticket day at level reasons officer counter service device"),
    "ticket_events": ("ticket_events", "id", "ticket day action at counter officer service"),
    "counters": ("counters", "number", "name services status officer current_ticket active updated_at"),
    "services": ("services", "code", "prefix name field procedures number_digits start_number daily_cap "
                 "wait_target_s closed_reason active position"),
    "fields": ("fields", "code", "name position"),
    "users": ("users", "username", "name title role active"),
    "settings": ("center_settings", "key", "value"),
}
JSON_COLUMNS_014 = {"reasons", "services", "procedures", "value"}  # JSON text, sent as JSON
HUB_SETTINGS_014 = ("center_name", "place", "hours", "queue", "priority_reasons", "rating")


def _hub_triggers_014() -> str:
    """Three triggers a table (insert, update of a sent column, delete); ticket events are
    only ever appended. Settings: only those a report needs (never the hub link's token)."""
    log = "INSERT INTO hub_log (kind, key, at, data) VALUES"
    now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    statements = []
    for kind, (table, key, columns) in HUB_COLUMNS_014.items():
        names = [key, *columns.split()]
        # JSON text goes as JSON; text that is not JSON (a hand-edited row) as text: a trigger
        # must never make the center's own write fail.
        pairs = ", ".join(f"'{name}', " + (f"CASE WHEN json_valid(NEW.{name}) THEN json(NEW.{name}) ELSE NEW.{name} END"
                                           if name in JSON_COLUMNS_014 else f"NEW.{name}") for name in names)
        row = f"json_object({pairs})"
        when = f" WHEN NEW.key IN ({', '.join(repr(name) for name in HUB_SETTINGS_014)})" if kind == "settings" else ""
        statements.append(f"CREATE TRIGGER hub_log_{kind}_insert AFTER INSERT ON {table}{when}\n"
                          f"BEGIN {log} ('{kind}', CAST(NEW.{key} AS TEXT), {now}, {row}); END;")
        if kind != "ticket_events":
            statements.append(f"CREATE TRIGGER hub_log_{kind}_update AFTER UPDATE OF {', '.join(names)} ON {table}{when}\n"
                              f"BEGIN {log} ('{kind}', CAST(NEW.{key} AS TEXT), {now}, {row}); END;")
        statements.append(f"CREATE TRIGGER hub_log_{kind}_delete AFTER DELETE ON {table}{when.replace('NEW.', 'OLD.')}\n"
                          f"BEGIN {log} ('{kind}', CAST(OLD.{key} AS TEXT), {now}, json_object('deleted', json('true'))); END;")
    return "\n".join(statements) + "\n"


@migrations()
def m014_hub_log(db):
    """What the province hub needs, as an append-only, gap-free sequence (docs/hub-sync.md):
    triggers append each change of a ticket, visit, rating, ticket event, counter, service,
    field, officer or reported setting to ``hub_log`` in the transaction that makes it, so
    the sequence number is assigned with the change (a rolled-back change takes its number
    back with it: AUTOINCREMENT's counter is a row of the same transaction). ``hub_link``
    keeps how far the hub has acknowledged, and whether a restored backup must first be
    reconciled with the hub (``restored_at_seq``)."""
    run_script(
        db,
        """
        CREATE TABLE hub_log (                  -- nhật ký liên thông tỉnh, append-only
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,                 -- tickets, visits, ratings, ticket_events, counters, services, fields, users, settings
            key TEXT NOT NULL,                  -- the row's key, as text
            at TEXT NOT NULL,                   -- UTC time of the change
            data TEXT NOT NULL                  -- the row as the hub receives it (JSON), or {"deleted": true}
        );
        CREATE TABLE hub_link (                 -- how far the province hub holds our hub_log
            id INTEGER PRIMARY KEY CHECK (id = 1),
            acked INTEGER NOT NULL DEFAULT 0,   -- the hub's answer: highest contiguous seq it holds
            restored_at_seq INTEGER             -- set by a restore: the restored log's last seq
        );
        INSERT INTO hub_link (id, acked) VALUES (1, 0);
        """
        + _hub_triggers_014()
        # A center that joins the hub has a history already: each row is logged once, the
        # catalog first, through the triggers just made (an update to itself fires them).
        + """
        UPDATE fields SET name = name;
        UPDATE services SET name = name;
        UPDATE users SET name = name;
        UPDATE counters SET name = name;
        UPDATE center_settings SET value = value;
        UPDATE tickets SET calls = calls;
        UPDATE visits SET officer = officer;
        UPDATE ratings SET level = level;
        """,
    )



@migrations()
def m015_dossiers(db):
    """Dossiers (hồ sơ) whose status the one-stop software reports (PUT /api/v1/dossiers/<code>),
    with their history; and devices of kind ``integration``, the programs allowed to report."""
    run_script(
        db,
        """
        CREATE TABLE dossiers (                 -- hồ sơ, as the one-stop software reports it
            code TEXT PRIMARY KEY,              -- mã hồ sơ (upper case)
            status TEXT NOT NULL CHECK (status IN
                ('received', 'processing', 'needs_more', 'ready', 'returned', 'overdue_apology')),
            status_text TEXT,
            phone TEXT,                         -- E.164, given with consent; shown masked only
            due_date TEXT,                      -- ngày hẹn trả, YYYY-MM-DD
            service TEXT,
            ticket INTEGER REFERENCES tickets(id) ON DELETE SET NULL,  -- where it was received, if here
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE dossier_history (          -- every change, oldest first
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL REFERENCES dossiers(code) ON DELETE CASCADE,
            status TEXT NOT NULL,
            status_text TEXT,
            due_date TEXT,
            at TEXT NOT NULL,
            by TEXT                             -- the integration device, or the officer
        );
        CREATE INDEX dossier_history_code ON dossier_history(code, id);
        CREATE TABLE devices_new (              -- registered kiosks, displays, tablets, integrations
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display', 'tablet', 'integration')),
            name TEXT NOT NULL,
            counter INTEGER,
            token_hash TEXT NOT NULL UNIQUE,
            revoked INTEGER NOT NULL DEFAULT 0,
            last_seen TEXT
        );
        INSERT INTO devices_new SELECT id, kind, name, counter, token_hash, revoked, last_seen FROM devices;
        DROP TABLE devices;
        ALTER TABLE devices_new RENAME TO devices;
        """,
    )


@migrations()
def m016_appointments(db):
    """Appointments (lịch hẹn): a booked place in a service's time slot, checked in at the
    kiosk into a ticket of the same queue. ``tickets.appointment_at`` is the slot start of a
    checked-in appointment's ticket: from then on it goes ahead of walk-ins (ordering)."""
    run_script(
        db,
        """
        CREATE TABLE appointments (             -- lịch hẹn
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,          -- the citizen's secret (65 bits), also in manage_url
            service TEXT NOT NULL REFERENCES services(code),
            day TEXT NOT NULL,                  -- the slot's local date
            starts_at TEXT NOT NULL,            -- ISO 8601 with the center's offset
            ends_at TEXT NOT NULL,
            phone TEXT,                         -- E.164; NULL once erased (retention_days after it ends)
            name TEXT,
            status TEXT NOT NULL DEFAULT 'booked',  -- booked, checked_in, cancelled (no_show: booked, grace over)
            booked_at TEXT NOT NULL,
            checked_in_at TEXT,
            cancelled_at TEXT,
            cancelled_by TEXT,                  -- "citizen", a staff username, or "holiday"
            ticket INTEGER REFERENCES tickets(id),
            kiosk TEXT
        );
        CREATE INDEX appointments_slot ON appointments(service, starts_at, status);
        CREATE INDEX appointments_day ON appointments(day, service);
        CREATE INDEX appointments_phone ON appointments(phone, service, status) WHERE phone IS NOT NULL;
        ALTER TABLE tickets ADD COLUMN appointment_at TEXT;
        CREATE INDEX tickets_appointments ON tickets(day, appointment_at)
            WHERE appointment_at IS NOT NULL AND status = 'waiting';
        """,
    )


def migrate(db, *, stop_before: str | None = None) -> None:
    """Bring the schema up to date (or up to just before ``stop_before``, for tests).

    Foreign keys are off while migrating (a table rebuild drops and renames tables; the
    pragma cannot change inside a transaction) and checked before the commit."""
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        with write(db):
            migrations.apply(db, stop_before=stop_before)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken references: {broken[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys=ON")
