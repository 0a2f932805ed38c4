"""When a center was deactivated: the public page (/cong-khai) shows its months up to that one,
marked as no longer active, and none after. A center deactivated before this revision is
taken as deactivated at its last contact (its data stops there), else at its registration.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        ALTER TABLE centers ADD COLUMN deactivated_at timestamptz;
        UPDATE centers SET deactivated_at = COALESCE(last_contact, created_at) WHERE NOT active;
        """
    )


def downgrade():
    op.execute("ALTER TABLE centers DROP COLUMN deactivated_at")
