"""Crawl throughput: a counting spider vs ``reviews`` without and with the SQLite store.

Generates N legacy-Metacritic-style critic-review pages (40 reviews each,
tests/support/legacy_site.py), serves
them from 127.0.0.1 (nginx when installed, else a threaded Python server), and runs:

  (a) a spider that only counts responses (benchmarks/count_spider.py)
  (b) ``scrapy crawl reviews`` with STORE_ENABLED=False
  (c) ``scrapy crawl reviews`` into a fresh SQLite database

and prints pages/s and reviews/s for each (from the crawl's own elapsed time),
the ratios b/a and c/a, and each run's peak RSS.

    .venv/bin/python benchmarks/crawl_throughput.py --pages 2000 --pages 10000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.support.legacy_site import write_site  # noqa: E402  (after the path is set)

REVIEWS_PER_PAGE = 40
# The same download settings for every run, so that only the processing differs.
COMMON_SETTINGS = {
    "LOG_LEVEL": "INFO",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "AUTOTHROTTLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "False",
    "DOWNLOAD_DELAY": "0",
    "HTTPCACHE_ENABLED": "False",
    "LOGSTATS_INTERVAL": "0",
}


def generate(root: Path, pages: int) -> list[str]:
    return [path + "/" for path in write_site(root, pages, REVIEWS_PER_PAGE)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """nginx on 127.0.0.1 when installed, else a threaded Python server."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root, self.workdir = root, workdir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.httpd: ThreadingHTTPServer | None = None
        self.kind = "nginx" if shutil.which("nginx") else "python"

    def __enter__(self) -> Server:
        if self.kind == "nginx":
            config = self.workdir / "nginx.conf"
            config.write_text(
                f"daemon off; worker_processes 1; pid {self.workdir}/nginx.pid;"
                f"error_log {self.workdir}/nginx-error.log;"
                "events { worker_connections 1024; }"
                "http { access_log off; sendfile on; keepalive_requests 100000;"
                "default_type text/html;"
                f"client_body_temp_path {self.workdir}; proxy_temp_path {self.workdir};"
                f"fastcgi_temp_path {self.workdir}; uwsgi_temp_path {self.workdir};"
                f"scgi_temp_path {self.workdir};"
                f"server {{ listen 127.0.0.1:{self.port}; root {self.root}; index index.html; }} }}"
            )
            self.process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(self.workdir)])
            for _ in range(100):
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                        break
                threading.Event().wait(0.05)
        else:
            handler = partial(SimpleHTTPRequestHandler, directory=str(self.root))
            handler.log_message = lambda *a: None  # type: ignore[method-assign]
            self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
            threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()


@dataclass
class Run:
    name: str
    seconds: float
    pages: int
    reviews: int
    peak_rss_mb: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def reviews_per_second(self) -> float:
        return self.reviews / self.seconds


def stat(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def run(name: str, command: list[str], settings: dict[str, str], workdir: Path) -> Run:
    for key, value in {**COMMON_SETTINGS, **settings}.items():
        command += ["-s", f"{key}={value}"]
    log_path = workdir / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
    text = log_path.read_text()
    if status != 0:
        sys.exit(f"{name} failed (status {status}); see {log_path}")
    return Run(
        name=name,
        seconds=stat(text, "elapsed_time_seconds"),
        pages=int(stat(text, "response_received_count")),
        reviews=int(
            stat(text, "store/reviews_new") or stat(text, "coverage/metacritic_legacy/reviews")
        ),
        peak_rss_mb=usage.ru_maxrss / 1024,
    )


def measure(pages: int, keep: bool) -> list[Run]:
    workdir = Path(tempfile.mkdtemp(prefix="reviewcrawler-bench-"))
    try:
        paths = generate(workdir / "site", pages)
        with Server(workdir / "site", workdir) as server:
            targets = workdir / "targets.txt"
            targets.write_text("\n".join(f"http://127.0.0.1:{server.port}{path}" for path in paths))
            scrapy = [sys.executable, "-m", "scrapy"]
            runs = [
                run(
                    "a_count",
                    [
                        *scrapy,
                        "runspider",
                        "benchmarks/count_spider.py",
                        "-a",
                        f"urls_file={targets}",
                    ],
                    {},
                    workdir,
                ),
                run(
                    "b_no_store",
                    [*scrapy, "crawl", "reviews", "-a", f"urls_file={targets}"],
                    {"STORE_ENABLED": "False"},
                    workdir,
                ),
                run(
                    "c_sqlite",
                    [*scrapy, "crawl", "reviews", "-a", f"urls_file={targets}"],
                    {
                        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
                        "STORE_PRINT_SUMMARIES": "False",
                    },
                    workdir,
                ),
            ]
            print(f"\n{pages} pages x {REVIEWS_PER_PAGE} reviews, served by {server.kind}")
        return runs
    finally:
        if keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages",
        type=int,
        action="append",
        help="pages per measurement (repeatable); default 2000",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated site and logs")
    args = parser.parse_args()
    peaks: dict[int, float] = {}
    for pages in args.pages or [2000]:
        runs = measure(pages, args.keep)
        baseline = runs[0].pages_per_second
        for result in runs:
            print(
                f"  {result.name:<11} {result.pages_per_second:8.1f} pages/s"
                f" {result.reviews_per_second:10.1f} reviews/s"
                f"  ratio {result.pages_per_second / baseline:5.2f}"
                f"  {result.seconds:7.1f} s  peak RSS {result.peak_rss_mb:7.1f} MB"
            )
        peaks[pages] = runs[2].peak_rss_mb
    if len(peaks) > 1:
        smallest, largest = min(peaks), max(peaks)
        print(
            f"\npeak RSS of (c), {largest} vs {smallest} pages:"
            f" {peaks[largest] / peaks[smallest]:.2f}x"
        )


if __name__ == "__main__":
    main()
