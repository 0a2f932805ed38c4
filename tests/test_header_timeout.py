"""Issue 14, security item 12: clients that send their headers too slowly are timed out, so
a few hundred half-open connections cannot hold the server's sockets forever, and the
server keeps answering everyone else meanwhile. Against the real gevent server."""

import select
import socket
import time

import pytest
import requests

pytestmark = pytest.mark.slow

HEADER_TIMEOUT_S = 2
SLACK_S = 8  # a busy 2-core machine; the point is "closed", not "closed on the dot"
SLOW_CLIENTS = 300


def open_half_requests(port: int, count: int) -> list[socket.socket]:
    """Connections that start a request and stop partway through its headers."""
    sockets = []
    for index in range(count):
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(b"GET /api/v1/state HTTP/1.1\r\nHost: 127.0.0.1\r\n" if index % 2 else b"GET /kio")
        sockets.append(client)
    return sockets


def closed(client: socket.socket) -> bool:
    """The server has closed (or reset) the connection: a read returns at once with nothing."""
    try:
        return client.recv(4096) == b""
    except (ConnectionResetError, BlockingIOError):
        return True


def test_item_12_slow_header_clients_are_closed_within_the_deadline_and_others_are_served(live_server):
    live_server.start(env={"LAYSO_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S)})
    started = time.monotonic()
    slow = open_half_requests(live_server.port, SLOW_CLIENTS)
    trickler = socket.create_connection(("127.0.0.1", live_server.port), timeout=10)
    trickler.sendall(b"GET / HTTP/1.1\r\n")

    # Meanwhile a normal request is answered.
    assert requests.get(live_server.url + "/api/v1/state", timeout=HEADER_TIMEOUT_S + SLACK_S).status_code == 200

    # One byte every half second keeps reads coming, but the deadline is for the whole header.
    open_sockets = set(slow)
    deadline = started + HEADER_TIMEOUT_S + SLACK_S
    trickler_open = True
    while (open_sockets or trickler_open) and time.monotonic() < deadline:
        if trickler_open:
            try:
                trickler.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                trickler_open = False
        readable, _, _ = select.select([*open_sockets, *([trickler] if trickler_open else [])], [], [], 0.5)
        for client in readable:
            if client is trickler:
                trickler_open = not closed(client)
            elif closed(client):
                open_sockets.discard(client)
    assert not open_sockets, f"{len(open_sockets)} of {SLOW_CLIENTS} slow clients still open after {HEADER_TIMEOUT_S + SLACK_S} s"
    assert not trickler_open, "a client trickling its headers a byte at a time was never closed"
    assert time.monotonic() - started > HEADER_TIMEOUT_S * 0.9  # closed by the deadline, not at once
    for client in [*slow, trickler]:
        client.close()
    assert requests.get(live_server.url + "/api/v1/state", timeout=10).status_code == 200


def test_item_12_a_client_within_the_deadline_is_served_over_a_kept_alive_connection(live_server):
    live_server.start(env={"LAYSO_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S)})
    with requests.Session() as session:
        for _ in range(3):  # the same connection, request after request
            assert session.get(live_server.url + "/api/v1/state", timeout=10).status_code == 200
    client = socket.create_connection(("127.0.0.1", live_server.port), timeout=10)
    client.sendall(b"GET /api/v1/state HTTP/1.1\r\n")
    client.sendall(b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")  # the rest, well inside the deadline
    answer = b""
    while chunk := client.recv(65536):
        answer += chunk
    client.close()
    assert answer.startswith(b"HTTP/1.1 200")
