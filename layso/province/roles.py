"""The hub accounts' roles and their words (vai trò), shared by the accounts and the audit log."""

ROLES = ("province_manager", "admin")
ROLE_WORDS = {"province_manager": ("Lãnh đạo tỉnh", "Province manager"), "admin": ("Quản trị", "Administrator")}
