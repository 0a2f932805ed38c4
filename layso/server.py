"""The LấySố server: ``layso serve --demo`` (or ``python server.py --demo`` in a checkout) runs
the demo center on 127.0.0.1:5000.

Importing this module patches the standard library for gevent before anything else is
imported (docs/decisions.md), so import it first; ``LAYSO_ASYNC_MODE=threading`` skips it,
for tests and debugging.
"""

from layso.web.serving import patch_for_async_mode

patch_for_async_mode()  # first: gevent patches the standard library before anything else is imported

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from layso import logs  # noqa: E402
from layso import settings as settings_module  # noqa: E402
from layso.web.app import create_app, start_background_jobs  # noqa: E402
from layso.web.realtime import socketio  # noqa: E402
from layso.web.serving import add_server_arguments, run  # noqa: E402

log = logging.getLogger("layso.server")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="layso serve", description="LấySố queue server for one service center")
    parser.add_argument("--config", help="center TOML file (or LAYSO_CONFIG)")
    parser.add_argument("--db", help="SQLite database file (or LAYSO_DB)")
    add_server_arguments(parser, default_port=5000, demo="run the demo center with demo accounts")
    parser.add_argument("--log-format", choices=logs.FORMATS, default=os.environ.get("LAYSO_LOG_FORMAT") or "text",
                        help="text (default) or json: one JSON object a line (or LAYSO_LOG_FORMAT)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        logs.configure(args.log_format)
    except ValueError as error:
        print(f"layso: LAYSO_LOG_FORMAT: {error}", file=sys.stderr)
        return 2
    try:
        settings = settings_module.load(
            config=args.config, db=args.db, host=args.host, port=args.port, demo=args.demo
        )
        app = create_app(settings)  # devices' sections (printers, screens) are checked here
    except settings_module.SettingsError as error:
        print(f"layso: {error}", file=sys.stderr)
        return 2
    start_background_jobs(app)
    # What start-up built lives as long as the server: out of the collector's sight, a full
    # collection no longer walks it (one took 44 ms under load, every request waiting).
    gc.collect()
    gc.freeze()
    log.info("%s on http://%s:%s (%s, database %s, config %s%s)", settings.center_name, settings.host,
             settings.port, settings.async_mode, settings.db_path, settings.config_path, ", demo" if settings.demo else "")
    restart_clock = getattr(app.extensions["layso.clock"], "restart", None)
    if restart_clock is not None:  # a demo's fast clock starts its day now, not while the server started
        restart_clock()
    print(f"LAYSO READY http://{settings.host}:{settings.port}", flush=True)
    run(app, socketio, async_mode=settings.async_mode, host=settings.host, port=settings.port,
        header_timeout_s=settings.header_timeout_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
