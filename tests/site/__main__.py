"""`python -m tests.site [--site menafn|globenewswire|prnewswire] --port 8000 --stories 200
[--fixtures] [--months]`: serve a local site until Ctrl-C (`--months`: March to May 2025,
`--stories` a month, with the wires' sitemaps, for backfills)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .menafn import MenafnSite
from .months import month_site
from .releases import synthetic_releases
from .server import LocalSite
from .stories import load_fixture_stories, synthetic_stories
from .wires import WireSite

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "menafn"
SITES = ("menafn", "globenewswire", "prnewswire")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.site", description=__doc__)
    parser.add_argument("--site", choices=SITES, default="menafn")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--stories", type=int, default=200, help="synthetic stories to serve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fixtures", action="store_true", help=f"also serve the saved pages in {FIXTURES}"
    )
    parser.add_argument("--robots", type=Path, help="file to serve as /robots.txt")
    parser.add_argument(
        "--months", action="store_true", help="three months of stories, --stories a month"
    )
    args = parser.parse_args(argv)
    if args.months:
        month_site(args.site, args.stories).serve_until_stopped(args.host, args.port)
        return

    robots = args.robots.read_text(encoding="utf-8") if args.robots else None
    site: LocalSite
    if args.site == "menafn":
        stories = load_fixture_stories(FIXTURES) if args.fixtures else []
        stories += synthetic_stories(args.stories, seed=args.seed)
        site = MenafnSite(stories, robots_txt=robots)
    else:
        releases = synthetic_releases(args.site, args.stories, seed=args.seed)
        site = WireSite(args.site, releases, robots_txt=robots)
    site.serve_until_stopped(args.host, args.port)


if __name__ == "__main__":
    try:
        main()
    except OSError as exc:  # the port is taken, the address is not this machine's, …
        sys.exit(f"tests.site: cannot serve: {exc.strerror or exc}")
