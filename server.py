"""LấySố server: ``python server.py --demo`` runs the demo center on 127.0.0.1:5000.

The same as ``layso serve`` (the console script of an installed wheel): everything is in
layso/server.py, whose import patches the standard library for gevent before anything else
(docs/decisions.md)."""

import sys

from layso.server import main  # first: gevent's patch
from layso.web.serving import serve_gevent  # noqa: F401  (bench/reference_app.py serves with it)

if __name__ == "__main__":
    sys.exit(main())
