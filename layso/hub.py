"""What runs the requests: gevent's hub (server.py patches the standard library for it
first) or plain threads (tests, tools, ``LAYSO_ASYNC_MODE=threading``)."""


def under_gevent() -> bool:
    """Whether gevent has patched threading: threads are greenlets on one hub."""
    try:
        from gevent.monkey import is_module_patched
    except ImportError:
        return False
    return is_module_patched("threading")


def off_the_hub(function, *args):
    """Run ``function(*args)`` in gevent's thread pool, so that its CPU or blocking C work
    (hashing, reading a whole database) leaves the hub serving every screen; at once when
    not under gevent. Its exception is raised here."""
    if not under_gevent():
        return function(*args)
    from gevent import get_hub

    return get_hub().threadpool.apply(function, args)
