"""The README's Output section, run as written by real clients (DuckDB, pandas, check-jsonschema)
on what real crawls wrote: three runs, one with only a rejected page, one with rejects among
many articles, one with nothing new (an empty file)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newscrawl.items import ARTICLE_FIELDS
from tests.conftest import DEFAULT_STATE, FIXTURES, ROOT, SAMPLE, crawl, read_jsonl

pytestmark = pytest.mark.slow

README = ROOT / "README.md"


def code_blocks(language: str) -> list[str]:
    """The fenced ``language`` blocks of the README's Output section, as written."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Output\n") :]
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
    (bad / "1109000001-empty.txt").write_bytes(b"")
    mixed = folder / "mixed"
    shutil.copytree(FIXTURES, mixed, ignore=shutil.ignore_patterns("*.json", "*.md", "*.jsonl"))
    (mixed / "1109000002-stamp-only.txt").write_text("MENAFN05092023000071011013ID1109000002\n")
    for source, written, rejected in [
        (bad, 0, 1),  # only a rejected page: an empty articles file and a rejects file
        (mixed, None, 1),  # the real pages, and a reject among them
        (SAMPLE, 0, 0),  # seen already: an empty articles file
    ]:
        run = crawl(out, "-a", f"source={source}", state=DEFAULT_STATE)
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
