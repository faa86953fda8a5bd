"""A threaded HTTP server on 127.0.0.1 for crawl tests.

It serves a folder of fixture pages (``/a/b`` -> ``a/b/index.html`` or ``a/b``;
``/a/b?page=N`` -> ``a/b/page-N.html``) and any routes a test registers, and
counts every request so tests can assert on what the crawler fetched.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[str, dict[str, list[str]], dict[str, str]], Reply]


class FixtureServer:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server.lock:
                    server.requests[self.path] += 1
                reply = server.reply(self.path, dict(self.headers.items()))
                self.send_response(reply.status)
                headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, handler: Route | Reply) -> None:
        """Serve ``path`` (without query) from ``handler``; a Reply is served as is."""
        self.routes[path] = handler if callable(handler) else (lambda *_: handler)

    def reply(self, raw_path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query)
        if parts.path in self.routes:
            return self.routes[parts.path](parts.path, query, headers)
        if self.root is None:
            return Reply(404, b"not found")
        relative = parts.path.lstrip("/")
        candidate = (self.root / relative).resolve()
        if not str(candidate).startswith(str(self.root.resolve())):
            return Reply(403, b"forbidden")
        if candidate.is_dir():
            pages = query.get("page")
            candidate = candidate / (f"page-{pages[0]}.html" if pages else "index.html")
        if not candidate.is_file():
            return Reply(404, b"not found")
        content_type = CONTENT_TYPES.get(candidate.suffix, "application/octet-stream")
        return Reply(200, candidate.read_bytes(), {"Content-Type": content_type})

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
