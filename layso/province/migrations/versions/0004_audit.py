"""The hub's audit log: every admin action (centers registered, given a new token,
deactivated; accounts added, changed, given a temporary password) and every password change
by its owner, written in the same transaction as the change (layso/province/audit.py).

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE hub_audit (                -- nhật ký quản trị: who did what, when
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL,                -- the hub account that acted
            action text NOT NULL,               -- center.registered, account.role_changed, … (audit.ACTIONS)
            target text NOT NULL,               -- the center's code or the account's user name
            detail jsonb NOT NULL DEFAULT '{}'  -- the new values (name, role), never a token or a password
        );
        """
    )


def downgrade():
    op.execute("DROP TABLE hub_audit")
