"""The yardstick for bench_http.py: a bare Flask endpoint that commits one SQLite row,
served exactly as server.py serves LấySố (gevent, TCP_NODELAY, a yield after each
request), with the same durability (WAL, ``synchronous=FULL``).

The test machines are shared and their speed changes from one minute to the next (the
same run gave 1,700 and 3,800 requests/s on one afternoon), so bench_http.py measures this
first and prints the server's figures beside it.

    .venv/bin/python bench/reference_app.py <database file> <port>
"""

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import server  # noqa: E402  (patches the standard library for gevent first, as in production)
from flask import Flask, jsonify, request  # noqa: E402


def create_reference_app(db_path: str) -> Flask:
    app = Flask("reference")
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS rows (service TEXT)")

    @app.post("/api/v1/tickets")
    def insert_one_row():
        service = request.get_json(force=True).get("service")
        conn.execute("BEGIN IMMEDIATE")
        row_id = conn.execute("INSERT INTO rows (service) VALUES (?)", [service]).lastrowid
        conn.execute("COMMIT")
        return jsonify(id=row_id, service=service), 201

    @app.get("/ready")
    def ready():
        return "ok"

    return app


if __name__ == "__main__":
    database, port = sys.argv[1], int(sys.argv[2])
    server.serve_gevent(create_reference_app(database), "127.0.0.1", port)
