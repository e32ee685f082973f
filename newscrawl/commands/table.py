"""`scrapy table [--rebuild]`: bring ``<output>/table/`` and ``newscrawl.duckdb`` up to date
with the runs listed in ``runs.jsonl`` (every run does this itself), or rebuild them from every
run's JSON lines. Exit status 0 done, 1 failed (one line says what and where), 2 bad usage."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand

from newscrawl.commands import EX_USAGE, fail
from newscrawl.run.checks import check_settings
from newscrawl.run.writable import not_a_folder


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # no crawl: no Scrapy log, only the result line

    def syntax(self) -> str:
        return "[--rebuild]"

    def short_desc(self) -> str:
        return "Bring the articles table (Parquet) and newscrawl.duckdb up to date"

    def long_desc(self) -> str:
        return (
            "Apply the runs listed in <output>/<source>/runs.jsonl that the table does not hold "
            "yet (each run does this itself; this catches up after a failure), and write the "
            "DuckDB views. --rebuild builds the table anew from every run's JSON lines."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--rebuild", action="store_true", help="build the table anew from the JSON lines"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.table.columns import TableError  # pyarrow only for this command
        from newscrawl.table.update import TABLE_DIR, catch_up, rebuild
        from newscrawl.table.views import DATABASE

        if args:
            fail(EX_USAGE, f"unexpected arguments: {' '.join(args)}")
        assert self.settings is not None
        try:
            check_settings(self.settings)
        except ValueError as exc:
            fail(EX_USAGE, str(exc))
        output = Path(self.settings["NEWSCRAWL_OUTPUT_DIR"])
        if not output.is_dir():  # a mistyped folder: nothing to bring up to date
            fail(EX_USAGE, not_a_folder(output) or f"output folder not found: {output}")
        try:
            written = rebuild(output) if opts.rebuild else catch_up(output)
        except (TableError, OSError) as exc:
            fail(1, f"table not updated: {exc}")
        done = "rebuilt" if opts.rebuild else "up to date"
        print(
            f"{output / TABLE_DIR} {done} ({written} rows written); "
            f"DuckDB views: {output / DATABASE}"
        )
