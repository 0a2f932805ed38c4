"""Backups of the center's database with SQLite's online backup API: copies are consistent
while the server keeps writing. (Restoring one: layso/store/restore.py.)

Files: ``<instance>/backups/layso-YYYYMMDD-HHMMSS.db``; a restore first saves the current
database as ``…-before-restore.db``. The folders kept beside the database (:data:`KEPT_BESIDE`:
the recorded voice pack) go with each backup as ``layso-YYYYMMDD-HHMMSS.<folder>.zip``.
"""

import re
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from layso.errors import NotFound

NAME = re.compile(r"layso-(\d{8}-\d{6})(-[a-z-]+)?\.db")
KEPT_BESIDE = ("voice-pack",)  # folders beside the database that are part of the center's data


def backup_dir(instance_dir: Path) -> Path:
    path = Path(instance_dir) / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_backup(db_path: Path, folder: Path, *, now: datetime, suffix: str = "") -> Path:
    """Copy the live database to ``folder`` (a temporary name, renamed when complete)."""
    target = folder / f"layso-{now.strftime('%Y%m%d-%H%M%S')}{suffix}.db"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(str(db_path), timeout=10)
    destination = sqlite3.connect(str(partial))
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        destination.close()
        source.close()
    partial.replace(target)
    for name in KEPT_BESIDE:
        _zip_folder(Path(db_path).parent / name, companion(target, name))
    return target


def companion(backup: Path, name: str) -> Path:
    """The zip of the folder ``name`` kept with the backup ``backup``."""
    return backup.with_name(f"{backup.stem}.{name}.zip")


def _zip_folder(source: Path, target: Path) -> None:
    """The files at the top of ``source`` in a zip (none when the folder does not exist)."""
    files = sorted(path for path in source.glob("*") if path.is_file() and not path.name.startswith(".")) \
        if source.is_dir() else []
    if not files:
        return
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    partial.replace(target)


def list_backups(folder: Path) -> list[dict]:
    """Backups, newest first: {name, size, created}."""
    items = []
    for path in folder.glob("layso-*.db"):
        match = NAME.fullmatch(path.name)
        if match:
            created = datetime.strptime(match[1], "%Y%m%d-%H%M%S").isoformat()
            items.append({"name": path.name, "size": path.stat().st_size, "created": created})
    return sorted(items, key=lambda item: item["name"], reverse=True)


def backup_path(folder: Path, name) -> Path:
    """The backup file called ``name`` in ``folder`` (never a path outside it); raises NotFound."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or not (folder / name).is_file():
        raise NotFound("Không có bản sao lưu này.", message_en="No such backup.")
    return folder / name


def prune_backups(folder: Path, *, keep_days: int, now: datetime) -> list[str]:
    """Delete backups older than ``keep_days``; return their names."""
    limit = (now.replace(tzinfo=None) - timedelta(days=keep_days)).isoformat()
    removed = []
    for item in list_backups(folder):
        if item["created"] < limit:
            (folder / item["name"]).unlink()
            for name in KEPT_BESIDE:
                companion(folder / item["name"], name).unlink(missing_ok=True)
            removed.append(item["name"])
    return removed


NIGHTLY_HOUR = 1  # local time: after the end-of-day pass, long before opening


def nightly_backup(db_path: Path, folder: Path, *, keep_days: int, now: datetime) -> Path | None:
    """Once a day from NIGHTLY_HOUR: back up (``…-nightly.db``) and drop backups older than
    ``keep_days``. Returns the new file, or None when today's is done or it is too early."""
    if now.hour < NIGHTLY_HOUR or any(folder.glob(f"layso-{now.strftime('%Y%m%d')}-*-nightly.db")):
        return None
    path = create_backup(db_path, folder, now=now, suffix="-nightly")
    prune_backups(folder, keep_days=keep_days, now=now)
    return path
