"""A scheduled job end to end: Scrapyd on 127.0.0.1, the project deployed as an egg,
``reviews`` scheduled through the HTTP API on a local targets file."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.support.crawl import PROJECT
from tests.support.legacy_site import write_site
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

FILMS, REVIEWS = 5, 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base: str, endpoint: str, data: dict[str, str | list[str]] | None = None) -> dict:
    if data is None:
        request = urllib.request.Request(f"{base}/{endpoint}")
    else:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(f"{base}/{endpoint}", data=body)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def upload_egg(base: str, egg: Path, version: str) -> dict:
    boundary = "reviewcrawler-egg-boundary"
    fields = {"project": "reviewcrawler", "version": version}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="project.egg"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{base}/addversion.json",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\nmax_proc = 2\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"], cwd=home,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if call(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Scrapyd did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_scheduled_job_crawls_into_the_store(scrapyd: str, tmp_path: Path) -> None:
    egg = tmp_path / "reviewcrawler.egg"
    built = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--build-egg", str(egg)],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    deployed = upload_egg(scrapyd, egg, "r1")
    assert deployed["status"] == "ok", deployed
    assert "reviews" in call(scrapyd, "listspiders.json?project=reviewcrawler")["spiders"]

    paths = write_site(tmp_path / "site", FILMS, REVIEWS)
    database = tmp_path / "nightly.db"
    first_page = (tmp_path / "site" / paths[0].lstrip("/") / "index.html").read_bytes()

    def slow_first_page(*_: object) -> Reply:
        time.sleep(3)  # the job's parse worker starts meanwhile: the egg's code must run in it
        return Reply(200, first_page, {"Content-Type": "text/html; charset=utf-8"})

    with FixtureServer(tmp_path / "site") as server:
        server.route(paths[0], slow_first_page)
        targets = tmp_path / "targets.txt"
        targets.write_text("\n".join(server.url(path) for path in paths) + "\nnot a url\n")
        job = call(
            scrapyd,
            "schedule.json",
            {
                "project": "reviewcrawler",
                "spider": "reviews",
                "urls_file": str(targets),
                "setting": [
                    f"DATABASE_URL=sqlite:///{database}",
                    "HTTPCACHE_ENABLED=False",
                    "CONCURRENT_REQUESTS=1",
                ],
            },
        )
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            jobs = call(scrapyd, "listjobs.json?project=reviewcrawler")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            time.sleep(0.5)
        else:
            pytest.fail("the scheduled job did not finish")

    engine = create_engine(f"sqlite:///{database}")
    try:
        reviews = table_rows(engine, "reviews")
        (run,) = table_rows(engine, "crawl_runs")
    finally:
        engine.dispose()
    assert len(reviews) == FILMS * REVIEWS
    log = next((tmp_path / "scrapyd" / "logs").rglob(f"{job['jobid']}.log")).read_text()
    assert f"'parse_workers/pages': {FILMS}," in log, log
    assert "parse_workers/broken" not in log and "Traceback" not in log
    assert run["spider"] == "reviews"
    assert run["finish_reason"] == "finished"
    assert run["reviews_new"] == FILMS * REVIEWS
    assert run["pages"] == FILMS
