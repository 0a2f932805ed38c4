"""The demo province (``python -m layso.province --demo``): centers demo-1, demo-2, demo-3
with hub tokens demo-hub-token-1…3, and the accounts tinh/demo (province manager) and
admin/demo. A center started with ``server.py --demo`` and ``LAYSO_HUB_TOKEN=demo-hub-token-<n>``
syncs to it as that center."""

from layso.province.accounts import add_account
from layso.province.centers import register_center

DEMO_CENTERS = (
    ("demo-1", "Trung tâm Phục vụ hành chính công phường Thuận Hóa", "demo-hub-token-1"),
    ("demo-2", "Trung tâm Phục vụ hành chính công phường Phú Xuân", "demo-hub-token-2"),
    ("demo-3", "Trung tâm Phục vụ hành chính công xã Phú Vinh", "demo-hub-token-3"),
)
DEMO_ACCOUNTS = (("tinh", "Lãnh đạo tỉnh (demo)", "province_manager"), ("admin", "Quản trị (demo)", "admin"))


def seed_demo(connection, *, method: str) -> None:
    """Register the demo centers and accounts (again: the same tokens and passwords), unaudited:
    a demo hub does it at every start, and its log would be nothing but that."""
    with connection.transaction():
        for code, name, token in DEMO_CENTERS:
            if connection.execute("SELECT 1 FROM centers WHERE code = %s", [code]).fetchone() is None:
                register_center(connection, code, name, by=None, token=token)
        for username, name, role in DEMO_ACCOUNTS:
            add_account(connection, username, role, "demo", by=None, method=method, name=name)
