"""The hub's first schema: registered centers and their cursors, hub accounts, the centers'
catalog snapshot, and their tickets, stretches (visits) and ratings, partitioned by month of
the ticket's day, with the per-center per-day roll-up of the report figures.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE centers (                  -- trung tâm: one row per registered center
            id serial PRIMARY KEY,
            code text NOT NULL UNIQUE,          -- short name in URLs and reports (demo-1)
            name text NOT NULL,
            token_hash text NOT NULL UNIQUE,    -- sha256 of the center's hub token
            acked bigint NOT NULL DEFAULT 0,    -- highest contiguous sequence held
            last_contact timestamptz,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE accounts (                 -- tài khoản cấp tỉnh
            username text PRIMARY KEY,
            name text NOT NULL,
            role text NOT NULL CHECK (role IN ('province_manager', 'admin')),
            password_hash text NOT NULL,
            active boolean NOT NULL DEFAULT true
        );
        CREATE TABLE account_tokens (
            token_hash text PRIMARY KEY,
            username text NOT NULL REFERENCES accounts(username) ON DELETE CASCADE,
            expires_at timestamptz NOT NULL
        );
        CREATE INDEX account_tokens_expiry ON account_tokens (expires_at);
        CREATE TABLE catalog (                  -- each center's services, counters, fields, users, settings
            center integer NOT NULL REFERENCES centers(id),
            kind text NOT NULL,
            key text NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (center, kind, key)
        );
        CREATE TABLE tickets (                  -- số thứ tự (no status link, no phone)
            center integer NOT NULL,
            id bigint NOT NULL,
            day date NOT NULL,
            service text NOT NULL,
            number_service text,
            number text,
            priority integer,
            status text NOT NULL,
            issued_at timestamptz,
            queued_at timestamptz,
            transferred boolean NOT NULL DEFAULT false,
            called_at timestamptz,
            finished_at timestamptz,
            closed_at timestamptz,
            counter integer,
            officer text,
            wait_s double precision,
            service_s double precision,
            PRIMARY KEY (center, day, id)
        ) PARTITION BY RANGE (day);
        CREATE INDEX tickets_open ON tickets (center, day, status);
        CREATE TABLE visits (                   -- lượt phục vụ: one stretch at a counter
            center integer NOT NULL,
            id bigint NOT NULL,
            ticket bigint NOT NULL,
            day date NOT NULL,
            service text NOT NULL,
            counter integer NOT NULL,
            officer text NOT NULL,
            queued_at timestamptz,
            called_at timestamptz,
            wait_s double precision NOT NULL,
            ended_at timestamptz,
            outcome text,
            service_s double precision,
            PRIMARY KEY (center, day, id)
        ) PARTITION BY RANGE (day);
        CREATE INDEX visits_ticket ON visits (center, day, ticket, id);
        CREATE TABLE ratings (                  -- đánh giá (no comment text)
            center integer NOT NULL,
            id bigint NOT NULL,
            ticket bigint NOT NULL,
            day date NOT NULL,
            at timestamptz,
            level text NOT NULL,
            reasons jsonb NOT NULL DEFAULT '[]',
            officer text NOT NULL,
            counter integer NOT NULL,
            service text NOT NULL,
            PRIMARY KEY (center, day, id)
        ) PARTITION BY RANGE (day);
        CREATE INDEX ratings_ticket ON ratings (center, day, ticket);
        CREATE TABLE rollup_days (              -- days whose roll-up rows are built, per center
            center integer NOT NULL,
            day date NOT NULL,
            version integer NOT NULL,
            built_at timestamptz NOT NULL,
            PRIMARY KEY (center, day)
        );
        CREATE TABLE rollup (                   -- one row per center × day × grouping × key
            center integer NOT NULL,
            day date NOT NULL,
            grouping text NOT NULL,             -- officer, counter, service, day
            key jsonb NOT NULL,                 -- a counter number stays a number
            issued integer NOT NULL,
            served integer NOT NULL,
            no_show integer NOT NULL,
            transferred integer NOT NULL,
            not_rated integer NOT NULL,
            ratings jsonb NOT NULL,             -- {level id: count}
            wait_s double precision[] NOT NULL, -- every wait of the day and key, sorted
            service_s double precision[] NOT NULL,
            PRIMARY KEY (center, grouping, day, key)
        ) PARTITION BY RANGE (day);
        CREATE INDEX rollup_day ON rollup (grouping, day);
        """
    )


def downgrade():
    op.execute("DROP TABLE rollup, rollup_days, ratings, visits, tickets, catalog, account_tokens, accounts, centers")
