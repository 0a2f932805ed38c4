"""The roll-up of closed months and years (docs/scale.md, "The year summary"): per center, period,
grouping and key the parts of the daily roll-up added up, with each wait and service time
kept sorted as 8-byte doubles, their exact sum and count beside them (the mean needs no value)
and the period's own nearest-rank p90 (a key with one period needs no value either).

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE rollup_periods_built (     -- months and years whose rows are built, per center
            center integer NOT NULL,
            period text NOT NULL CHECK (period IN ('month', 'year')),
            first_day date NOT NULL,            -- the 1st of the month, or 1 January
            version integer NOT NULL,
            built_at timestamptz NOT NULL,
            PRIMARY KEY (center, period, first_day)
        );
        CREATE TABLE rollup_periods (           -- one row per center × period × grouping × key
            center integer NOT NULL,
            period text NOT NULL,
            first_day date NOT NULL,
            grouping text NOT NULL,             -- center, officer, counter, service, day (months only)
            key jsonb NOT NULL,
            issued integer NOT NULL,
            served integer NOT NULL,
            no_show integer NOT NULL,
            transferred integer NOT NULL,
            not_rated integer NOT NULL,
            ratings jsonb NOT NULL,
            wait_n integer NOT NULL,
            wait_sum numeric NOT NULL,          -- the exact sum of the doubles (no rounding)
            wait_p90 double precision,          -- nearest rank of this row's values; NULL without values
            wait_s bytea NOT NULL,              -- the values sorted, 8-byte little-endian doubles
            service_n integer NOT NULL,
            service_sum numeric NOT NULL,
            service_p90 double precision,
            service_s bytea NOT NULL,
            PRIMARY KEY (center, grouping, period, first_day, key)
        );
        ALTER TABLE rollup_periods ALTER COLUMN wait_s SET STORAGE EXTERNAL;
        ALTER TABLE rollup_periods ALTER COLUMN service_s SET STORAGE EXTERNAL;
        """
    )


def downgrade():
    op.execute("DROP TABLE rollup_periods, rollup_periods_built")
