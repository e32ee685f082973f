"""`python -m bench.site --stories N`: the local site with every story page pre-rendered.

The test site renders a story page on its first request; pre-rendering them all before the
first request keeps the site's own rendering out of the crawl timings. Prints the base URL,
then serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import re
import urllib.request
from typing import Any

from tests.site import MenafnSite, synthetic_stories

ARTICLE = re.compile(r"^/\d{10}(?:/|$)")


def site_log(base_url: str) -> list[dict[str, Any]]:
    """The site's request log (every request since the last clear)."""
    with urllib.request.urlopen(f"{base_url}/_site/requests", timeout=60) as answer:
        records: list[dict[str, Any]] = json.load(answer)
    return records


def clear_log(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/_site/clear", timeout=60) as answer:
        answer.read()


def add_stories(base_url: str, n: int) -> int:
    """Add ``n`` new stories; returns how many the site added."""
    with urllib.request.urlopen(f"{base_url}/_site/add?n={n}", timeout=60) as answer:
        return len(json.load(answer)["added"])


def count_requests(records: list[dict[str, Any]]) -> dict[str, int]:
    """Requests by kind: robots.txt, article pages, listing pages, other."""
    counts = {"total": len(records), "robots": 0, "articles": 0, "listings": 0}
    for record in records:
        path = record["path"].split("?")[0]
        if path == "/robots.txt":
            counts["robots"] += 1
        elif ARTICLE.match(path):
            counts["articles"] += 1
        elif path.lower() in ("/tb_news.aspx", "/qn_news_sections.aspx"):
            counts["listings"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.site")
    parser.add_argument("--stories", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    site = MenafnSite(synthetic_stories(args.stories))
    site.response_delay = args.delay
    for story in site.stories:  # fill the page cache (each render is done once)
        site.route(story.path, "http://127.0.0.1")
    site.serve_until_stopped("127.0.0.1", args.port)


if __name__ == "__main__":
    main()
