"""Issue 20: the ``layso`` console script's offline subcommands (serve is tested through the
installed wheel in tests/test_wheel.py, and as server.py everywhere else)."""

import sqlite3

from layso import cli
from tests.conftest import DATA
from tests.helpers import issue


def test_check_config_says_ok_with_the_center_s_size_or_names_the_wrong_key(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAYSO_SECRET_KEY", "a-real-centers-secret-key")
    assert cli.main(["check-config", str(DATA / "center.toml")]) == 0
    assert "ok — Trung tâm thử nghiệm: 3 services, 4 counters" in capsys.readouterr().out
    broken = tmp_path / "center.toml"
    broken.write_text((DATA / "center.toml").read_text(encoding="utf-8").replace('prefix = "B"', 'prefix = "b1"'),
                      encoding="utf-8")
    assert cli.main(["check-config", str(broken)]) == 2
    assert "services[1].prefix" in capsys.readouterr().err
    assert cli.main(["check-config", str(tmp_path / "missing.toml")]) == 2
    monkeypatch.delenv("LAYSO_SECRET_KEY")
    assert cli.main(["check-config", str(DATA / "center.toml")]) == 2  # a real center needs its secret
    assert "LAYSO_SECRET_KEY" in capsys.readouterr().err


def test_backup_then_restore_brings_back_the_data_and_keeps_what_it_replaced(db, settings, now, tmp_path, capsys):
    issue(db, "HT", now)
    folder = tmp_path / "copies"
    assert cli.main(["backup", "--config", str(DATA / "center.toml"), "--db", str(settings.db_path), "--to",
                     str(folder)]) == 0
    [copy] = folder.glob("layso-*.db")
    assert capsys.readouterr().out.strip() == str(copy)
    issue(db, "HT", now)
    issue(db, "HT", now)
    assert cli.main(["restore", str(copy), "--config", str(DATA / "center.toml"), "--db", str(settings.db_path)]) == 0
    assert "restored" in capsys.readouterr().out
    with sqlite3.connect(settings.db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 1
    assert list((settings.instance_dir / "backups").glob("*-before-restore.db"))


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(db, settings, now, tmp_path, capsys):
    issue(db, "HT", now)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert cli.main(["restore", str(junk), "--config", str(DATA / "center.toml"), "--db", str(settings.db_path)]) == 1
    assert capsys.readouterr().err.startswith("layso restore:")
    with sqlite3.connect(settings.db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 1


def test_backup_of_a_missing_database_and_unknown_commands_are_refused(tmp_path, capsys):
    assert cli.main(["backup", "--config", str(DATA / "center.toml"), "--db", str(tmp_path / "none.db")]) == 2
    assert "no database" in capsys.readouterr().err
    assert cli.main(["frobnicate"]) == 2 and "layso serve" in capsys.readouterr().err
    assert cli.main([]) == 2
    assert cli.main(["--help"]) == 0 and "layso check-config FILE" in capsys.readouterr().out
