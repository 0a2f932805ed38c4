"""``layso``: the console script of an installed LấySố (docs/operations.md, "Installing").

    layso serve [--config FILE] [--db FILE] [--host H] [--port P] [--demo] [--log-format json]
    layso agent --server URL --kiosk ID --printer-kind …      (a kiosk PC's print agent)
    layso backup [--config FILE] [--db FILE] [--to FOLDER]
    layso restore FILE [--config FILE] [--db FILE]            (with the server stopped)
    layso check-config FILE
    layso province …                                           (the province hub)

Each subcommand imports only what it needs, and ``serve`` imports the server first, so that
gevent's patch comes before anything else (layso/server.py)."""

import argparse
import sys

USAGE = __doc__.split("\n\n")[1]
COMMANDS = ("serve", "agent", "backup", "restore", "check-config", "province")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(f"usage:\n{USAGE}", file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        from layso import server  # patches the standard library for gevent first

        return server.main(rest)
    if command == "agent":
        from kiosk import agent

        return agent.main(rest)
    if command == "province":
        sys.argv = ["layso province", *rest]
        import runpy

        runpy.run_module("layso.province", run_name="__main__")
        return 0
    return {"backup": backup, "restore": restore, "check-config": check_config}[command](rest)


def _center_database(parser: argparse.ArgumentParser, argv):
    """Parse an offline command's arguments and find the center's database: (args, settings),
    or (args, None) once the reason it cannot be used is printed. The secret is not needed
    to copy a file."""
    import os

    from layso import settings as settings_module

    parser.add_argument("--config", help="center TOML file (or LAYSO_CONFIG)")
    parser.add_argument("--db", help="SQLite database file (or LAYSO_DB; else the config's [database] path)")
    args = parser.parse_args(argv)
    environ = {**os.environ}
    environ.setdefault("LAYSO_SECRET_KEY", "offline-command-" + "x" * 16)
    try:
        settings = settings_module.load(config=args.config, db=args.db, environ=environ)
    except settings_module.SettingsError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return args, None
    if not settings.db_path.is_file():
        print(f"{parser.prog}: no database at {settings.db_path}", file=sys.stderr)
        return args, None
    return args, settings


def backup(argv) -> int:
    """Write a consistent copy of the database, while the server runs or not."""
    from datetime import datetime
    from pathlib import Path

    from layso.store.backup import backup_dir, create_backup

    parser = argparse.ArgumentParser(prog="layso backup", description="Back up the center's database")
    parser.add_argument("--to", help="folder for the copy (default: backups/ beside the database)")
    args, settings = _center_database(parser, argv)
    if settings is None:
        return 2
    folder = Path(args.to) if args.to else backup_dir(settings.instance_dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(create_backup(settings.db_path, folder, now=datetime.now().astimezone()))
    return 0


def restore(argv) -> int:
    """Check a backup file as the admin page does and put it in place of the center's data;
    the data it replaces is saved first as ``…-before-restore.db``."""
    from pathlib import Path

    from layso import clock
    from layso.admin.restore import restore_backup
    from layso.errors import LaysoError
    from layso.store.backup import backup_dir
    from layso.store.db import open_db
    from layso.store.migrations import migrate

    parser = argparse.ArgumentParser(prog="layso restore", description="Restore the center's database from a backup "
                                     "(stop the server first, or restore from the admin page while it runs)")
    parser.add_argument("file", help="the backup file (layso-….db)")
    args, settings = _center_database(parser, argv)
    if settings is None:
        return 2

    database = open_db(settings.db_path)
    try:
        migrate(database)
        folder = backup_dir(settings.instance_dir)
        folder.mkdir(parents=True, exist_ok=True)
        outcome = restore_backup(database, Path(args.file), folder, now=clock.now(settings.timezone))
    except LaysoError as error:
        print(f"layso restore: {error.message_en} {error.detail or ''}".rstrip(), file=sys.stderr)
        return 1
    finally:
        database.conn.close()
    print(f"restored {args.file}; the data it replaced: {folder / outcome.value['saved_before']}")
    return 0


def check_config(argv) -> int:
    """Read a center's TOML file as the server would and say what is wrong, naming the key."""
    import os

    from layso import settings as settings_module

    parser = argparse.ArgumentParser(prog="layso check-config", description="Check a center's configuration file")
    parser.add_argument("file", help="the center's TOML file")
    args = parser.parse_args(argv)
    try:
        settings = settings_module.load(config=args.file, environ=os.environ)
        from display.screens import screens
        from kiosk.printing import printer_configs

        printer_configs(settings.kiosks, base_dir=settings.instance_dir)
        screens(settings)
    except settings_module.SettingsError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    seed = settings.seed
    print(f"{args.file}: ok — {settings.center_name}: {len(seed['services'])} services, {len(seed['counters'])} counters, "
          f"{len(seed['officers'])} officers, {len(settings.kiosks)} kiosks, {len(settings.displays)} displays; "
          f"database {settings.db_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
