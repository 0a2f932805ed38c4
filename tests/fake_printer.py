"""A fake ESC/POS network printer on 127.0.0.1 for tests and benchmarks.

It keeps the bytes of each job (one connection = one job) and can misbehave the
ways real printers do: port closed (``go_offline``), accept then never read
(``mode = "hang"``), drop the connection partway through a job (``mode =
"drop"``), report paper out when asked its status (``paper_out``), or the roll near
its end (``paper_low``), or ignore status queries (``answer_status = False``).
"""

import socket
import struct
import threading
import time

DLE_EOT = b"\x10\x04"  # real-time status query: DLE EOT n
PAPER_OK = 0x12  # fixed bits 1 and 4 set, no sensor bit
PAPER_END = 0x72  # paper end bits 5 and 6 set
PAPER_NEAR_END = 0x1E  # paper near-end bits 2 and 3 set
# A small receive buffer, like a printer's: a peer that stops reading soon stalls the sender.
RECEIVE_BUFFER = 4096


class FakePrinter:
    def __init__(self, port: int = 0):
        self.mode = "ok"  # "ok", "hang" or "drop"
        self.drop_after = 2048  # job bytes read before a "drop" closes the connection
        self.paper_out = False
        self.paper_low = False
        self.answer_status = True
        self.status_queries = 0
        self._jobs: list[bytes] = []
        self._changed = threading.Condition()
        self._connections: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.port = port
        self.go_online()

    # --- control ---------------------------------------------------------------

    def go_online(self) -> None:
        """Listen (again, on the same port once it has one)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def go_offline(self) -> None:
        """Close the port: connecting is refused until ``go_online``."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown wakes the accepting thread; close alone would leave it listening.
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def close(self) -> None:
        self.go_offline()
        for connection in list(self._connections):
            connection.close()

    @property
    def jobs(self) -> list[bytes]:
        """Bytes of each complete job (the client closed the connection), status queries removed."""
        with self._changed:
            return list(self._jobs)

    def wait_for_jobs(self, count: int, timeout_s: float = 60.0) -> list[bytes]:
        """The jobs once there are ``count`` of them; AssertionError at the deadline."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._jobs) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self._jobs)} jobs printed, expected {count}")
                self._changed.wait(left)
            return list(self._jobs)

    # --- serving ---------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:  # the listener was closed: offline
                return
            self._connections.append(connection)
            if self.mode != "hang":  # a hung printer holds the connection and never reads
                threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        data = b""
        with connection:
            while True:
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    return
                if not chunk:
                    break
                data += chunk
                # A status query is answered when it is the latest thing received: the
                # client asks before and after a job and waits for the answer.
                while data[-3:-1] == DLE_EOT:
                    data = data[:-3]
                    self.status_queries += 1
                    if self.answer_status:
                        status = PAPER_END if self.paper_out else PAPER_NEAR_END if self.paper_low else PAPER_OK
                        connection.sendall(bytes((status,)))
                if self.mode == "drop" and len(data) >= self.drop_after:
                    # Linger 0: close with a reset, as a printer switched off mid-job.
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
        if data:
            with self._changed:
                self._jobs.append(data)
                self._changed.notify_all()
