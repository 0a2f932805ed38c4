"""Dossiers (hồ sơ) and their history: the SQL, and nothing else (layso.notify.dossiers
has the rules)."""


def load_dossier(db, code: str) -> dict | None:
    return next(db.query("SELECT * FROM dossiers WHERE code = ?", [code]), None)


def dossier_history(db, code: str) -> list[dict]:
    return list(db.query("SELECT status, status_text, due_date, at, by FROM dossier_history WHERE code = ? ORDER BY id",
                         [code]))


def save_dossier(db, dossier: dict, *, created: bool) -> None:
    """Insert or update the row, inside the caller's transaction."""
    columns = ("status", "status_text", "phone", "due_date", "service", "ticket", "updated_at")
    if created:
        db.execute(
            "INSERT INTO dossiers (code, status, status_text, phone, due_date, service, ticket, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [dossier["code"], *(dossier[column] for column in columns[:-1]), dossier["created_at"], dossier["updated_at"]])
    else:
        db.execute(f"UPDATE dossiers SET {', '.join(f'{column} = ?' for column in columns)} WHERE code = ?",
                   [*(dossier[column] for column in columns), dossier["code"]])


def add_history(db, code: str, *, status: str, status_text, due_date, at: str, by: str | None) -> int:
    """One line of a dossier's history, inside the caller's transaction; its id."""
    return db.execute(
        "INSERT INTO dossier_history (code, status, status_text, due_date, at, by) VALUES (?, ?, ?, ?, ?, ?)",
        [code, status, status_text, due_date, at, by]).lastrowid
