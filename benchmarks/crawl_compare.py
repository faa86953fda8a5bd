"""Crawl throughput of two checkouts, alternated: is the full/count-only ratio the same?

benchmarks/crawl_throughput.py measures one checkout once. On a shared 2-core
machine one run varies by a third from the next, so comparing a change against
an older commit that way says little. This runs the same two crawls of
crawl_throughput.py in each checkout, against one served site, round after
round, in the order A B B A (so drift over the rounds falls on both alike):

  (a) the counting spider (benchmarks/count_spider.py of each checkout)
  (c) ``scrapy crawl reviews`` into a fresh SQLite database

and prints each run's pages/s, then per checkout the median and best pages/s
of each crawl and c/a of the medians, of the bests and per round.

    git worktree add /tmp/before <commit>
    .venv/bin/python benchmarks/crawl_compare.py /tmp/before . --rounds 8

Both checkouts run with this interpreter (so with this checkout's installed
packages); each imports its own ``reviewcrawler`` (its directory comes first on
the path).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks.crawl_throughput import COMMON_SETTINGS, Server, generate, stat  # noqa: E402


def crawl(checkout: Path, variant: str, targets: Path, workdir: Path, number: int) -> float:
    """Pages/s of one crawl, from its own elapsed time."""
    command = [sys.executable, "-m", "scrapy"]
    settings = dict(COMMON_SETTINGS)
    if variant == "a":
        command += ["runspider", "benchmarks/count_spider.py", "-a", f"urls_file={targets}"]
    else:
        command += ["crawl", "reviews", "-a", f"urls_file={targets}"]
        settings |= {
            "DATABASE_URL": f"sqlite:///{workdir / f'run-{number}.db'}",
            "STORE_PRINT_SUMMARIES": "False",
        }
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    log_path = workdir / f"run-{number}.log"
    with log_path.open("w") as log:
        status = subprocess.run(
            command, cwd=checkout, stdout=subprocess.DEVNULL, stderr=log, check=False
        ).returncode
    text = log_path.read_text()
    if status != 0:
        sys.exit(f"{variant} in {checkout} failed (status {status}); see {log_path}")
    return stat(text, "response_received_count") / stat(text, "elapsed_time_seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs=2, type=Path, help="two project checkouts")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    checkouts = [path.resolve() for path in args.checkouts]
    workdir = Path(tempfile.mkdtemp(prefix="reviewcrawler-compare-"))
    results: dict[tuple[Path, str], list[float]] = {(c, v): [] for c in checkouts for v in "ac"}
    try:
        paths = generate(workdir / "site", args.pages)
        with Server(workdir / "site", workdir) as server:
            targets = workdir / "targets.txt"
            targets.write_text("\n".join(f"http://127.0.0.1:{server.port}{p}" for p in paths))
            number = 0
            for round_number in range(args.rounds):
                order = checkouts if round_number % 2 == 0 else checkouts[::-1]
                for checkout in order:
                    for variant in "ac":
                        number += 1
                        rate = crawl(checkout, variant, targets, workdir, number)
                        results[(checkout, variant)].append(rate)
                        print(f"round {round_number} {checkout} {variant}: {rate:7.1f} pages/s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{args.pages} pages, {args.rounds} rounds")
    for checkout in checkouts:
        a, c = results[(checkout, "a")], results[(checkout, "c")]
        rounds = " ".join(f"{y / x:.2f}" for x, y in zip(a, c, strict=True))
        print(
            f"{checkout}\n  a median {statistics.median(a):6.1f} best {max(a):6.1f}"
            f"   c median {statistics.median(c):6.1f} best {max(c):6.1f}"
            f"\n  c/a of medians {statistics.median(c) / statistics.median(a):.3f}"
            f"  of bests {max(c) / max(a):.3f}  per round {rounds}"
        )


if __name__ == "__main__":
    main()
