"""Restoring a backup (phục hồi dữ liệu): a scratch copy checked through and through
(layso/store/restore.py), read as the screens read it, then swapped in at once."""

import logging
from datetime import datetime
from pathlib import Path

from layso.admin import settings_changed
from layso.clock import iso
from layso.events import Outcome
from layso.hub import off_the_hub
from layso.queue.counters import state as center_state
from layso.queue.services import service_overview
from layso.speech import audio, pack
from layso.store.backup import companion, create_backup
from layso.store.center import all_settings
from layso.store.db import ensure_writable, open_db
from layso.store.hub_log import mark_restored
from layso.store.restore import prepare, scratch_file, swap_in

log = logging.getLogger(__name__)


def restore_backup(db, source: Path, folder: Path, *, now: datetime) -> Outcome:
    """Replace the center's data by the backup file ``source``, once a copy of it has passed
    every check; the current data is first saved as ``…-before-restore.db`` in ``folder``.
    The restored center re-sends to the province hub from the hub's cursor.
    Returns Outcome({restored, saved_before}, [settings.changed]). Raises InvalidInput
    (the live database untouched), RestoreFailed or WritesStopped."""
    ensure_writable(db)  # before the work of checking a file that could not be swapped in
    live_path = Path(db.execute("PRAGMA database_list").fetchone()[2])
    page_size = db.execute("PRAGMA page_size").fetchone()[0]

    def read_as_the_screens_do(checked):
        all_settings(checked)
        center_state(checked, now=now)
        service_overview(checked, now=now)

    with scratch_file(folder) as scratch:
        # Reading every row of a year's data takes half a minute (docs/operations.md): in a
        # thread, so that under gevent every screen is served meanwhile. The copy in stays
        # on the hub: a writer waiting for SQLite's lock would freeze it anyway.
        off_the_hub(lambda: prepare(source, scratch, page_size=page_size, smoke=read_as_the_screens_do))
        _mark_for_the_hub(scratch)
        safety = create_backup(live_path, folder, now=now, suffix="-before-restore")
        swap_in(db, scratch)
    voice_pack = _restore_voice_pack(source, live_path.parent, now=now)
    return Outcome({"restored": True, "saved_before": safety.name, "voice_pack_restored": voice_pack},
                   [settings_changed(db, "restore", at=iso(now))])


def _restore_voice_pack(source: Path, instance_dir: Path, *, now: datetime) -> bool:
    """The recorded voice kept with the backup, put back in place of the current one (which
    the ``…-before-restore`` backup keeps). False when the backup has none (an uploaded file,
    or one made before the pack existed): the current pack then stays."""
    kept = companion(source, pack.FOLDER)
    if not kept.is_file():
        return False
    try:
        pack.import_zip(pack.pack_folder(instance_dir), kept.read_bytes(), now=now)
    except (audio.AudioError, OSError) as error:  # the data is restored; the voice falls back to the engine
        log.error("restore: the voice pack kept with %s could not be put back: %s", source.name, error)
        return False
    return True


def _mark_for_the_hub(scratch: Path) -> None:
    """The province hub may hold events the backup never had: the copy swapped in says so,
    in the same transaction as the rest of it, and the sync worker reconciles with the hub
    before it sends again (layso.store.hub_log.reconcile)."""
    checked = open_db(scratch)
    try:
        mark_restored(checked)
    finally:
        checked.conn.close()
