"""``python -m layso.province``: the province hub (docs/hub.md).

    python -m layso.province --database-url postgresql://… --redis-url redis://… \\
        [--host 127.0.0.1] [--port 5100] [--workers N] [--demo]

gevent patches the standard library first (``LAYSO_ASYNC_MODE=threading`` skips it). The
database is migrated once, then ``--workers`` processes are forked that serve one listening
socket together and share live updates through Redis (Flask-SocketIO's message queue;
dashboards use the websocket transport, so no sticky sessions are needed)."""

from layso.web.serving import patch_for_async_mode

patch_for_async_mode()  # first: gevent patches the standard library before anything else is imported

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from layso.province import missing_hub_packages, settings as settings_module  # noqa: E402
from layso.web.serving import add_server_arguments  # noqa: E402

log = logging.getLogger("layso.province")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m layso.province", description="LấySố province hub")
    parser.add_argument("--database-url", help="PostgreSQL URL (or LAYSO_PROVINCE_DATABASE_URL)")
    parser.add_argument("--redis-url", help="Redis URL for live updates across workers (or LAYSO_PROVINCE_REDIS_URL)")
    add_server_arguments(parser, default_port=5100, demo="register demo centers demo-1…3 and accounts tinh, admin")
    parser.add_argument("--workers", type=int, help="worker processes (default 1; more need --redis-url)")
    parser.add_argument("--register-center", nargs=2, metavar=("CODE", "NAME"),
                        help="register a center (or give it a new token), print its hub token, and exit")
    parser.add_argument("--add-account", nargs=2, metavar=("USERNAME", "ROLE"),
                        help="create or reset an account (province_manager or admin; password asked, or "
                             "LAYSO_PROVINCE_PASSWORD), and exit")
    return parser.parse_args(argv)


def administer(settings, args) -> int:
    """--register-center / --add-account: one change, committed with its audit entries
    (actor ``cli:<system user>``), then exit."""
    import getpass

    import psycopg

    from layso.errors import InvalidInput
    from layso.passwords import check_new_password
    from layso.province.accounts import add_account
    from layso.province.audit import command_line_actor
    from layso.province.centers import register_center

    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        try:
            if args.register_center:
                code, name = args.register_center
                token = register_center(connection, code, name, by=command_line_actor())
                print(f"{code}: LAYSO_HUB_TOKEN={token}")
            else:
                username, role = args.add_account
                password = os.environ.get("LAYSO_PROVINCE_PASSWORD") or getpass.getpass(f"Password for {username}: ")
                check_new_password(password, username=username, center_name="")
                add_account(connection, username, role, password, by=command_line_actor(), method=settings.password_hash)
                print(f"{username}: {role}")
        except InvalidInput as refused:
            print(f"layso.province: {refused.message_en}", file=sys.stderr)
            return 2
    return 0


def prepare(settings) -> None:
    """Migrate the schema and, with --demo, register the demo province; before any fork."""
    import psycopg

    from layso.province.demo import seed_demo
    from layso.province.schema import migrate

    migrate(settings.database_url)
    if settings.demo:
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            seed_demo(connection, method=settings.password_hash)


def serve(settings, listener=None, *, worker: int = 0) -> None:
    from layso.web.province_app import create_province_app, start_hub_jobs
    from layso.web.serving import run
    from province.events import socketio

    app = create_province_app(settings)
    start_hub_jobs(app, leader=worker == 0)
    run(app, socketio, async_mode=settings.async_mode, host=settings.host, port=settings.port,
        header_timeout_s=settings.header_timeout_s, listener=listener)


def run_workers(settings) -> int:
    """Fork ``settings.workers`` processes over one listening socket; stop them all on
    SIGTERM/SIGINT, and stop when any of them dies (a supervisor such as systemd restarts)."""
    from layso.web.serving import listen

    listener = listen(settings.host, settings.port)
    children = []
    for worker in range(settings.workers):
        pid = os.fork()
        if pid == 0:
            try:
                serve(settings, listener, worker=worker)
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum, _frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"LAYSO PROVINCE READY http://{settings.host}:{settings.port} ({settings.workers} workers)", flush=True)
    pid, status = os.wait()
    stop(signal.SIGTERM, None)
    for other in children:
        if other != pid:
            try:
                os.waitpid(other, 0)
            except ChildProcessError:
                pass
    return 0 if os.WIFSIGNALED(status) or os.waitstatus_to_exitcode(status) == 0 else 1


def main(argv=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    if missing := missing_hub_packages():
        print(f"layso.province: the hub needs {', '.join(missing)}: pip install 'layso[province]'", file=sys.stderr)
        return 2
    try:
        settings = settings_module.load(database_url=args.database_url, redis_url=args.redis_url, host=args.host,
                                        port=args.port, workers=args.workers, demo=args.demo)
    except settings_module.SettingsError as error:
        print(f"layso.province: {error}", file=sys.stderr)
        return 2
    try:
        prepare(settings)
    except Exception as error:  # psycopg's or SQLAlchemy's OperationalError: say it in one line, not a trace
        if type(error).__name__ != "OperationalError":
            raise
        print(f"layso.province: cannot use the database: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    if args.register_center or args.add_account:
        return administer(settings, args)
    log.info("province hub on http://%s:%s (%s workers, %s)", settings.host, settings.port, settings.workers,
             settings.async_mode)
    if settings.workers > 1 and settings.async_mode == "gevent":
        return run_workers(settings)
    print(f"LAYSO PROVINCE READY http://{settings.host}:{settings.port} (1 worker)", flush=True)
    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
