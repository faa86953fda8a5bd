"""Conditional re-crawls: Scrapy's HTTP cache, revalidating every page on every crawl.

A nightly re-crawl of pages that did not change should cost almost nothing: the
cache keeps each page with its ETag / Last-Modified, the next crawl asks with
If-None-Match / If-Modified-Since, and a 304 hands the cached page back (stat
``httpcache/revalidate``). The page is read again for its follow-up links (page
two may have changed when page one did not); its reviews come out identical, so
the store writes nothing but their ``last_seen_run``.

``RevalidatingPolicy`` narrows Scrapy's RFC 2616 policy to that job:

* never "fresh": a page is always revalidated, so a change is never missed
  because a server sent a long max-age;
* only pages that can be revalidated (a 200 with an ETag or Last-Modified) are
  stored: anything else could never come back as a 304, and error, rate-limit
  and block pages (403, 429, 5xx) are never stored, even with validators. Bot
  challenges served as a 200 never get here: the ban middleware sits nearer the
  downloader and turns them into errors.
"""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response

_CONDITIONS = ((b"ETag", b"If-None-Match"), (b"Last-Modified", b"If-Modified-Since"))


class RevalidatingPolicy(RFC2616Policy):
    def should_cache_response(self, response: Response, request: Request) -> bool:
        if response.status != 200:
            return False  # error, rate-limit and block pages are never tonight's page
        if not (b"ETag" in response.headers or b"Last-Modified" in response.headers):
            return False
        return super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        # Never fresh: always ask the site, sending the stored validators.
        for validator, condition in _CONDITIONS:
            if value := cachedresponse.headers.get(validator):
                request.headers[condition] = value
        return False
