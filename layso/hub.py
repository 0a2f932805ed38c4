"""What runs the requests: gevent's hub (server.py patches the standard library for it
first) or plain threads (tests, tools, ``LAYSO_ASYNC_MODE=threading``)."""


def under_gevent() -> bool:
    """Whether gevent has patched threading: threads are greenlets on one hub."""
    try:
        from gevent.monkey import is_module_patched
    except ImportError:
        return False
    return is_module_patched("threading")
