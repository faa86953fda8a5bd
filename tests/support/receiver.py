"""A webhook receiver on 127.0.0.1 for alert tests: records what it is sent, and answers
as the test says (accept, fail, hang past the sender's timeout, redirect elsewhere)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCEPT, FAIL, HANG, REDIRECT = "accept", "fail", "hang", "redirect"
#: Where REDIRECT points: another host, which the sender must never reach.
ELSEWHERE = "http://elsewhere.invalid/hook"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Receiver:
    """``with Receiver() as receiver:`` serves until the block ends; ``port`` binds a
    given port (a receiver started again where one was down)."""

    mode: str = ACCEPT
    port: int = 0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self
        # Set when the test ends, so that a HANG handler returns and its thread ends.
        self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                receiver.received.append(
                    Received(self.path, dict(self.headers.items()), json.loads(raw or b"null"))
                )
                if receiver.mode == HANG:
                    receiver.release.wait(30)
                    return
                if receiver.mode == REDIRECT:
                    self.send_response(307)
                    self.send_header("Location", ELSEWHERE)
                else:
                    self.send_response(500 if receiver.mode == FAIL else 202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (a receiver that is down)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return port
