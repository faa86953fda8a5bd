"""Safe defaults: no code-running ports, no leaked passwords, no wandering off the film's
site, robots.txt obeyed, a polite and reachable crawler, and SQL only with bound parameters."""

from __future__ import annotations

import ast

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, MetaData, create_engine, select
from sqlalchemy.engine import make_url

from reviewcrawler.formats import metacritic_legacy
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FollowUp
from reviewcrawler.spiders.reviews import ReviewsSpider
from reviewcrawler.store.schema import upgrade
from tests.conftest import SAMPLE
from tests.support.crawl import PROJECT, run_crawl
from tests.support.postgres import temporary_database
from tests.support.project_settings import project_settings
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

LANTERN = SAMPLE / "lantern-keeper-2011-critic-reviews.txt"
TEXT = {"Content-Type": "text/plain; charset=utf-8"}


def enabled_extensions() -> list[str]:
    crawler = get_crawler(ReviewsSpider, project_settings())
    crawler._apply_settings()
    return [type(extension).__name__ for extension in crawler.extensions.middlewares]


def test_remote_control_and_telnet_are_off_by_default() -> None:
    names = enabled_extensions()
    assert "RemoteControl" not in names and "TelnetConsole" not in names
    assert "Monitors" in names and "AutoThrottle" in names


def test_a_crawl_opens_no_port_and_says_so(sqlite_url: str) -> None:
    result = run_crawl(
        "-a", f"url={LANTERN.as_uri()}", "-a", "film=Lantern", database_url=sqlite_url
    )
    assert result.returncode == 0, result.stderr
    assert "Telnet console listening" not in result.stderr
    assert "scrapy.extensions.remote_control" not in result.stderr
    assert "scrapy.extensions.telnet" not in result.stderr


def all_text_in(engine: Engine) -> str:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return "\n".join(
            repr(list(connection.execute(select(table)))) for table in metadata.sorted_tables
        )


def assert_no_secret_anywhere(database_url: str, secrets: tuple[str, ...]) -> None:
    result = run_crawl(
        "-a", f"url={LANTERN.as_uri()}", "-a", "film=Lantern",
        database_url=database_url, settings={"LOG_LEVEL": "DEBUG"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in output
    engine = create_engine(database_url)
    try:
        stored = all_text_in(engine)
    finally:
        engine.dispose()
    assert "Lantern" in stored  # the crawl did store, and its run record too
    for secret in secrets:
        assert secret not in stored


def test_a_redis_password_never_appears(sqlite_url: str) -> None:
    """REDIS_URL turns on the distributed scheduler; an unreachable one fails the crawl,
    and neither that failure nor anything else prints the password."""
    result = run_crawl(
        "-a", f"url={LANTERN.as_uri()}", "-a", "film=Lantern", database_url=sqlite_url,
        settings={"REDIS_URL": "redis://:redis-s3cret@127.0.0.1:9/0", "LOG_LEVEL": "DEBUG"},
    )  # fmt: skip
    assert "redis-s3cret" not in result.stdout + result.stderr


def test_a_database_password_never_appears() -> None:
    """PostgreSQL (REVIEWCRAWLER_TEST_POSTGRES_URL) ignores a password under trust auth,
    so the crawl runs with one in its URL; SQLite URLs cannot carry one."""
    with temporary_database() as url:
        engine = create_engine(url)
        try:
            upgrade(engine)  # what `reviewcrawler db upgrade` does
        finally:
            engine.dispose()
        with_password = (
            make_url(url).set(password="db-s3cret").render_as_string(hide_password=False)
        )
        assert_no_secret_anywhere(with_password, ("db-s3cret",))


def test_an_unreachable_database_with_a_password_is_reported_masked() -> None:
    url = "postgresql+psycopg://crawler:pg-s3cret@127.0.0.1:9/reviews"
    result = run_crawl("-a", f"url={LANTERN.as_uri()}", database_url=url)
    assert result.returncode != 0
    assert "pg-s3cret" not in result.stdout + result.stderr


def follow(page_url: str, target: str) -> Request | None:
    crawler = get_crawler(ReviewsSpider, project_settings())
    spider = crawler._create_spider()
    response = HtmlResponse(page_url, body=b"", request=Request(page_url))
    requests = spider._follow(response, FollowUp(url=target, film_key="metacritic:x"))
    return requests[0] if requests else None


def test_the_spider_follows_links_on_its_own_site_only() -> None:
    page = "http://127.0.0.1:8000/movie/x"
    assert follow(page, "http://127.0.0.1:8000/movie/x/critic-reviews") is not None
    for elsewhere in (
        "http://127.0.0.2:8000/movie/x/critic-reviews",  # another host
        "http://127.0.0.1:8001/movie/x/critic-reviews",  # another port
        "https://127.0.0.1:8000/movie/x/critic-reviews",  # another scheme
        "file:///etc/passwd",  # a local file from a web page
        "file:///movie/x/critic-reviews",
    ):
        assert follow(page, elsewhere) is None, elsewhere


def test_the_legacy_format_offers_only_its_own_films_pages() -> None:
    html = b"""<html><body><div class="product_page_title"><h1>X</h1></div>
    <div class="critic_reviews"><div class="review"><div class="metascore_w indiv">80</div>
    <div class="summary"><a class="no_hover">Fine.</a></div></div></div>
    <a href="/movie/other-film/critic-reviews">another film</a>
    <a href="file:///etc/passwd">a file</a>
    <a href="http://evil.example/movie/x/critic-reviews">another site</a>
    <a href="/movie/x/critic-reviews">this film's reviews</a>
    <span class="metascore_w">1</span></body></html>"""
    url = "http://127.0.0.1:8000/movie/x"
    response = HtmlResponse(url, body=html, request=Request(url))
    follow_ups = [
        output
        for output in metacritic_legacy.parse(Page.from_response(response))
        if isinstance(output, FollowUp)
    ]
    assert [f.url for f in follow_ups] == ["http://127.0.0.1:8000/movie/x/critic-reviews"]


def test_robots_txt_is_obeyed_by_default_and_can_be_opted_out(sqlite_url: str) -> None:
    with FixtureServer() as server:
        server.route("/robots.txt", Reply(200, b"User-agent: reviewcrawler\nDisallow: /private/\n"))
        server.route("/private/film.txt", Reply(200, LANTERN.read_bytes(), TEXT))
        url = server.url("/private/film.txt")
        obeyed = run_crawl("-a", f"url={url}", "-a", "film=Lantern", database_url=sqlite_url)
        assert server.requests["/private/film.txt"] == 0
        assert crawl_stats(obeyed)["robotstxt/forbidden"] == 1
        opted_out = run_crawl(
            "-a", f"url={url}", "-a", "film=Lantern", database_url=sqlite_url,
            settings={"ROBOTSTXT_OBEY": "False"},
        )  # fmt: skip
        assert server.requests["/private/film.txt"] == 1
    assert opted_out.returncode == 0, opted_out.stderr


def test_the_user_agent_names_the_crawler_and_a_contact(sqlite_url: str) -> None:
    seen: list[str] = []

    def page(_path: str, _query: object, headers: dict[str, str]) -> Reply:
        seen.append(headers.get("User-Agent", ""))
        return Reply(200, LANTERN.read_bytes(), TEXT)

    with FixtureServer() as server:
        server.route("/film.txt", page)
        for contact in (None, "mailto:night-crawls@example.org"):
            settings = {"CONTACT_URL": contact} if contact else {}
            result = run_crawl(
                "-a", f"url={server.url('/film.txt')}", "-a", "film=Lantern",
                database_url=sqlite_url, settings=settings,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
    default_agent, own_agent = seen
    assert default_agent.startswith("reviewcrawler/")
    assert "+https://github.com/reviewcrawler/reviewcrawler" in default_agent
    assert "+mailto:night-crawls@example.org" in own_agent and "{contact}" not in own_agent


def test_polite_defaults() -> None:
    settings = project_settings()
    assert settings["ROBOTSTXT_OBEY"] is True
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 8
    assert settings["AUTOTHROTTLE_TARGET_CONCURRENCY"] <= settings["CONCURRENT_REQUESTS_PER_DOMAIN"]
    assert 0 < settings["RETRY_TIMES"] <= 5 and settings["RETRY_BACKOFF_MAX"] > 0
    assert settings["REDIRECT_MAX_TIMES"] <= 10
    assert settings["DOWNLOAD_MAXSIZE"] <= 64 * 1024 * 1024


SQL_CALLS = {"text", "exec_driver_sql", "execute", "executemany", "executescript"}
#: Functions that build SQL text, each checked by hand: what they interpolate is never a
#: value. engine._sqlite_begin: SQLite's BEGIN mode, from the engine's own execution
#: options. upsert.insert_rows: table and column names quoted by the dialect, and types;
#: every value is a bound parameter. upsert._sqlite_many: SQLAlchemy's compiled one-row insert, its
#: ``?`` placeholders repeated per row; every value is a bound parameter.
REVIEWED_SQL_BUILDERS = {
    ("reviewcrawler/store/engine.py", "_sqlite_begin"),
    ("reviewcrawler/store/upsert.py", "insert_rows"),
    ("reviewcrawler/store/upsert.py", "_sqlite_many"),
}


def _is_built_string(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "format"


def test_sql_is_never_built_from_strings_outside_reviewed_functions() -> None:
    """No SQL call gets an f-string, ``%`` or ``.format`` string: values go as bound parameters."""
    builders = set()
    for path in sorted((PROJECT / "reviewcrawler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in SQL_CALLS and _is_built_string(node.args[0]):
                    builders.add((str(path.relative_to(PROJECT)), function.name))
                if name in SQL_CALLS and isinstance(node.args[0], ast.Name):
                    # text(statement) where statement was built above, in the same function
                    for assign in ast.walk(function):
                        if (
                            isinstance(assign, ast.Assign)
                            and any(
                                getattr(target, "id", None) == node.args[0].id
                                for target in assign.targets
                            )
                            and _is_built_string(assign.value)
                        ):
                            builders.add((str(path.relative_to(PROJECT)), function.name))
    assert builders <= REVIEWED_SQL_BUILDERS


def test_sql_metacharacters_are_stored_verbatim(sqlite_url: str, sqlite_engine: Engine) -> None:
    page = (PROJECT / "fixtures" / "bad" / "sql-metacharacters.txt").as_uri()
    result = run_crawl("-a", f"url={page}", "-a", "film=Bobby Tables", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    reviews = table_rows(sqlite_engine, "reviews")
    assert {r["critic"] for r in reviews} == {
        "Robert'); DROP TABLE reviews;--",
        'O\'Brien "The Critic" %_',
        "x'; DELETE FROM films WHERE '1'='1",
    }
    assert "); UPDATE film_summaries SET mean_score = 0; --" in {r["quote"] for r in reviews}
    assert [f["title"] for f in table_rows(sqlite_engine, "films")] == ["Bobby Tables"]
