"""Hub admin screens: a center can be deactivated (its token refused, its history kept), and
an account given a temporary password must change it at its first login (as on a center).

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        ALTER TABLE centers ADD COLUMN active boolean NOT NULL DEFAULT true;
        ALTER TABLE accounts ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
        """
    )


def downgrade():
    op.execute("ALTER TABLE centers DROP COLUMN active; ALTER TABLE accounts DROP COLUMN must_change_password")
