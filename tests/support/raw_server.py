"""A TCP server on 127.0.0.1 that misbehaves below HTTP: resets, silence, cut-off bodies.

FixtureServer speaks proper HTTP; these faults need the socket itself.
"""

from __future__ import annotations

import socket
import struct
import threading
from enum import Enum


class Fault(Enum):
    #: Accept, then close with a TCP reset (SO_LINGER 0) before answering.
    RESET = "reset"
    #: Accept, read the request, never answer (the client times out).
    SILENT = "silent"
    #: Answer 200 with a Content-Length longer than the body, then close.
    TRUNCATED = "truncated"


class RawServer:
    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(2)
            try:
                request = connection.recv(65536)
            except OSError:
                request = b""
            if request.startswith(b"GET /robots.txt"):
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                connection.close()
                continue
            self.connections += 1
            if self.fault is Fault.RESET:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                connection.close()
            elif self.fault is Fault.SILENT:
                self._held.append(connection)
            else:
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n"
                    b"Connection: close\r\n\r\nGood reviews - based on 3 Critics\n"
                )
                connection.close()

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._sock.close()
