"""The README's Output section, run as written by real clients (DuckDB, pandas, check-jsonschema)
on what real crawls wrote: three runs, one with only a rejected page, one with rejects among
many articles, one with nothing new (an empty file)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.table.index import run_key
from tests.conftest import DEFAULT_STATE, FAST, FIXTURES, ROOT, SAMPLE, read_jsonl
from tests.in_process import crawl_here, crawl_in_process
from tests.site import MenafnSite, synthetic_stories
from tests.test_clusters import menafn_copy
from tests.test_reextract_lands import fix_parser

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("readme"),  # one worker: its module fixtures are made once
]

README = ROOT / "README.md"


def code_blocks(language: str, heading: str = "Output") -> list[str]:
    """The fenced ``language`` blocks of one of the README's sections, as written."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(f"\n## {heading}\n") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(rf"^```{language}\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the project folder after three runs: ``output/`` and the schema."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "newscrawl").symlink_to(ROOT / "newscrawl")  # the schema where the README says
    out = folder / "output"
    bad = folder / "bad"
    bad.mkdir()
    (bad / "1109000001-stamp-only.txt").write_text("MENAFN05092023000071011013ID1109000001\n")
    mixed = folder / "mixed"
    shutil.copytree(FIXTURES, mixed, ignore=shutil.ignore_patterns("*.json", "*.md", "*.jsonl"))
    (mixed / "1109000002-stamp-only.txt").write_text("MENAFN05092023000071011013ID1109000002\n")
    for source, written, rejected in [
        (bad, 0, 1),  # only a rejected page: an empty articles file and a rejects file
        (mixed, None, 1),  # the real pages, and a reject among them
        (SAMPLE, 0, 0),  # seen already: an empty articles file
    ]:
        run = crawl_here(out, "-a", f"source={source}", state=DEFAULT_STATE)
        assert run.status == 0, run.stderr[-2000:]
        line = run.last()
        assert line["rejected"] == rejected
        assert line["written"] == written if written is not None else line["written"] > 10
    return folder


def written(project: Path) -> list[dict[str, Any]]:
    """Every article the runs wrote, in run order, read through ``runs.jsonl``."""
    out = project / "output"
    runs = read_jsonl(out / "menafn" / "runs.jsonl")
    assert len(runs) == 3
    assert all(run["rejects_file"] for run in runs[:2])
    return [article for run in runs for article in read_jsonl(out / run["file"])]


def test_the_duckdb_query_reads_exactly_the_written_articles(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (query,) = code_blocks("sql")
    monkeypatch.chdir(project)
    relation = duckdb.sql(query)
    assert relation is not None  # a SELECT gives rows (None is for statements that give none)
    rows = relation.fetchall()
    expected = Counter((a["source"], a["provider"]) for a in written(project))
    assert {(source, provider): n for source, provider, n in rows} == expected
    assert sum(n for *_, n in rows) == len(written(project))


def test_the_pandas_example_reads_exactly_the_written_articles(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (code,) = code_blocks("python")
    monkeypatch.chdir(project)
    names: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), names)
    articles = names["articles"]
    assert list(articles.columns) == list(ARTICLE_FIELDS)  # no runs.jsonl or rejects columns
    assert articles["id"].tolist() == [a["id"] for a in written(project)]


def test_the_schema_check_recipe_passes_good_files_and_names_a_bad_line(project: Path) -> None:
    (recipe,) = code_blocks("sh")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    good = subprocess.run(
        ["bash", "-c", recipe], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok -- validation done" in good.stdout

    broken = project.parent / "broken"
    shutil.copytree(project / "output", broken / "output")
    (broken / "newscrawl").symlink_to(ROOT / "newscrawl")
    articles = broken / "output" / "menafn" / "articles"
    fullest = max(articles.glob("*.jsonl"), key=lambda p: p.stat().st_size)
    lines = fullest.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = re.sub(r'"word_count":\d+', '"word_count":"many"', lines[2])
    fullest.write_text("".join(lines), encoding="utf-8")
    bad = subprocess.run(
        ["bash", "-c", recipe], cwd=broken, env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode != 0
    assert f"{fullest.name}/000003::$.word_count" in bad.stdout + bad.stderr


# -- Analysing the output: the table's recipes -------------------------------------------------

ANALYSING = "Analysing the output"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder whose ``output/`` had live, offline and wire runs, with copies of one
    release on two sources, then a re-extraction of the live run's archive by a changed parser
    (in this process, its page class patched: ``tests.test_reextract_lands``)."""
    folder = tmp_path_factory.mktemp("analysed")
    out = folder / "output"
    for wire in ("prnewswire", "globenewswire"):
        run = crawl_here(
            out, "-a", f"source={FIXTURES.parent / wire}", spider=wire, state=DEFAULT_STATE
        )
        assert run.status == 0, run.stderr[-2000:]
    release = json.loads((FIXTURES.parent / "prnewswire/hackerrank-2016/expected.json").read_text())
    with MenafnSite([menafn_copy(release, 1109600101), *synthetic_stories(6)]) as site:
        live = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, state=DEFAULT_STATE)
    assert live.status == 0, live.stderr[-2000:]
    archive = out / live.last()["archive"]
    offline = crawl_here(out, "-a", f"source={FIXTURES}", state=DEFAULT_STATE)
    assert offline.status == 0, offline.stderr[-2000:]
    with pytest.MonkeyPatch.context() as patch:
        fix_parser(patch)
        state = {"NEWSCRAWL_STATE": str(out / ".state" / "newscrawl.sqlite3")}  # the default's
        again = crawl_in_process(out, settings=state, source=str(archive), reextract="yes")
    assert again.status == 0
    return folder


def runs_of(project: Path, source: str = "menafn") -> list[dict[str, Any]]:
    return read_jsonl(project / "output" / source / "runs.jsonl")


def latest(project: Path) -> dict[str, dict[str, Any]]:
    """Each story's line from its latest run (in run order), read through runs.jsonl."""
    runs = [
        (run["run"], project / "output" / run["file"])
        for manifest in (project / "output").glob("*/runs.jsonl")
        for run in read_jsonl(manifest)
        if run.get("file")
    ]
    lines: dict[str, dict[str, Any]] = {}
    for _, path in sorted(runs, key=lambda r: run_key(r[0])):
        lines.update({line["id"]: line for line in read_jsonl(path)})
    return lines


def run_recipe(project: Path, number: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The README's ``number``-th SQL recipe, as written, on ``output/newscrawl.duckdb``."""
    monkeypatch.chdir(project)
    with duckdb.connect("output/newscrawl.duckdb", read_only=True) as db:
        return db.execute(code_blocks("sql", ANALYSING)[number]).fetchall()


def utc(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None


def test_stories_per_provider_per_day(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 0, monkeypatch)
    days = Counter(
        (utc(a["published_at"]).date(), a["provider"])  # type: ignore[union-attr]
        for a in latest(analysed).values()
        if "2025-06-01" <= (a["published_at"] or "") < "2025-08-01"
    )
    assert rows
    assert {(day, provider): n for day, provider, n in rows} == days
    assert rows == sorted(rows, key=lambda r: (r[0], -r[2], r[1]))


def test_every_copy_of_one_story(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 1, monkeypatch)
    assert [(source, i) for source, i, *_ in rows] == [
        ("prnewswire", "prnewswire:300256929"), ("menafn", "menafn:1109600101")]  # fmt: skip
    assert all(isinstance(published, datetime) for *_, published, _ in rows)  # typed, not text


def test_stories_on_more_than_one_source(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 2, monkeypatch)
    by_cluster: dict[str, set[str]] = {}
    for a in latest(analysed).values():
        by_cluster.setdefault(a.get("cluster_id") or a["id"], set()).add(a["source"])
    assert {(c, tuple(sources)) for c, _, _, sources, _ in rows} == {
        (c, tuple(sorted(s))) for c, s in by_cluster.items() if len(s) > 1
    }
    assert ("prnewswire:300256929", ("menafn", "prnewswire")) in {(r[0], tuple(r[3])) for r in rows}


def test_stories_naming_a_ticker(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 3, monkeypatch)
    named = re.compile(r"\(nasdaq[a-z ]*:\s*HLBC\)", re.IGNORECASE)
    expected = {
        a["id"] for a in latest(analysed).values()
        if "NASDAQ:HLBC" in a.get("tickers", []) or named.search(a["body"])
    }  # fmt: skip
    assert expected == {"globenewswire:2780143"}
    assert {i for i, *_ in rows} == expected


def test_what_a_re_extraction_changed(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 4, monkeypatch)
    live, reextraction = (run for run in runs_of(analysed) if run["mode"] != "offline")
    assert reextraction["replaced"] == {live["run"]: live["written"]}
    earlier = read_jsonl(analysed / "output" / live["file"])
    now = latest(analysed)
    assert rows == [
        (a["id"], live["run"], reextraction["run"], a["body"], now[a["id"]]["body"])
        for a in sorted(earlier, key=itemgetter("id"))
    ]
    assert all(old != new for *_, old, new in rows)  # every figure changed


def test_the_last_runs(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 5, monkeypatch)
    listed = [
        (utc(run["started_at"]), manifest.parent.name, run["run"])
        for manifest in (analysed / "output").glob("*/runs.jsonl")
        for run in read_jsonl(manifest)
    ]
    # Two runs started in one second: the later name (``…Z_2``) first, as the recipe orders them.
    listed.sort(key=itemgetter(2), reverse=True)
    newest = sorted(listed, key=lambda r: (-r[0].timestamp(), r[1]))[:10]  # type: ignore[union-attr]
    assert [(source, run) for source, run, *_ in rows] == [(s, r) for _, s, r in newest]


def test_the_re_extractions(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = run_recipe(analysed, 6, monkeypatch)
    live, again = (run for run in runs_of(analysed) if run["mode"] != "offline")
    assert again["mode"] == "reextract"
    assert rows == [
        ("menafn", again["run"], utc(again["started_at"]), again["written"],
         {live["run"]: live["written"]}),
    ]  # fmt: skip


def test_the_python_recipes_read_the_table_typed(
    analysed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pandas_code, polars_code, duckdb_code = code_blocks("python", ANALYSING)
    monkeypatch.chdir(analysed)
    ids = sorted(latest(analysed))
    names: dict[str, Any] = {}
    exec(compile(pandas_code, "README.md", "exec"), names)
    frame = names["articles"]
    assert sorted(frame["id"]) == ids
    assert str(frame["published_at"].dtype) == "datetime64[ms, UTC]"
    assert set(frame["month"].astype(str)) >= {"undated", "2025-07"}
    exec(compile(polars_code, "README.md", "exec"), names)
    polars = names["articles"]
    assert sorted(polars["id"].to_list()) == ids
    assert str(polars.schema["published_at"]) == "Datetime(time_unit='ms', time_zone='UTC')"
    exec(compile(duckdb_code, "README.md", "exec"), names)
    clusters = {a.get("cluster_id") or a["id"] for a in latest(analysed).values()}
    assert sorted(names["clusters"]["cluster_id"]) == sorted(clusters)


def test_make_sql_runs_a_recipe_in_one_command(analysed: Path) -> None:
    """`make sql OUTPUT=…`: the table caught up, then the DuckDB command line, read-only."""
    if shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "duckdb").exists():
        pytest.skip("needs make and the project's .venv with duckdb-cli")
    per_day = code_blocks("sql", ANALYSING)[0]
    done = subprocess.run(
        ["make", "-s", "sql", f"OUTPUT={analysed / 'output'}"], cwd=ROOT, input=per_day,
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "stories" in done.stdout
    assert "up to date (0 rows written)" in done.stderr
