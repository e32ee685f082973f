"""Story clusters: quality floors on the evaluation set, the cluster state, and whole runs."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.cluster_eval import evaluate, load
from newscrawl.clusters import assign_cluster, fingerprint, story_text
from newscrawl.clusters.scheme import SCHEME
from newscrawl.run.seen_sqlite import SqliteSeenStore
from tests.conftest import DEFAULT_STATE, FAST, FIXTURES
from tests.in_process import crawl_here
from tests.site import MenafnSite, Story, load_fixture_stories
from tests.site.stories import slugify

WEATHER = next(FIXTURES.glob("1109527582-*/*.txt"))
RUN_1, RUN_2 = "menafn/20260101T000000Z", "menafn/20260102T000000Z"


def test_the_evaluation_set_holds_the_hard_cases() -> None:
    pairs = load("pairs.jsonl")
    kinds = {p["kind"] for p in pairs if not p["same"]}
    assert {"weather bulletin", "oil price bulletin", "gold price bulletin"} <= kinds
    assert {"weather bulletin, same forecast", "same issuer, other release"} <= kinds
    assert {"same-day condemnation statements", "same-day condolence cables",
            "quarterly results of one issuer", "dividends of other issuers, one template",
            "oil price unchanged, another day", "appointments at one issuer"} <= kinds  # fmt: skip
    same = {p["kind"] for p in pairs if p["same"]}
    assert "the same release on GlobeNewswire and PR Newswire, each with its furniture" in same
    assert "MENAFN's reprint of a GlobeNewswire release" in same
    assert sum(p["same"] for p in pairs) >= 200
    assert sum(not p["same"] for p in pairs) >= 650


KANDAHAR = next(FIXTURES.glob("1108011564-*/*.txt"))
AUSTRIA = next(FIXTURES.glob("1109657668-*/*.txt"))


@pytest.mark.parametrize(
    ("page", "place", "other"),
    [
        (KANDAHAR, "Kandahar Province, southern Afghanistan", "Quetta, southwestern Pakistan"),
        (KANDAHAR, "to the Afghan people", "to the Pakistani people"),
        (AUSTRIA, "Graz, southern Austria", "Uppsala, eastern Sweden"),
        (AUSTRIA, "government and people of Austria", "government and people of Sweden"),
        # the event rewritten with its place: no word on either side of the place is kept
        (KANDAHAR, "terrorist attack in Kandahar Province, southern Afghanistan, which",
         "car bomb explosion near Mosul. It"),
        (AUSTRIA, "at a school in the city of Graz, southern Austria", "at a mall in Oslo"),
    ],
)  # fmt: skip
def test_an_agencys_statements_of_one_day_are_two_stories(
    page: Path, place: str, other: str
) -> None:
    """The real statement and the same day's statement on another event (its place or its
    people changed, nothing else): two stories. The agency's own copy of it is one."""
    text = page.read_text("utf-8")
    assert place in text
    index = SqliteSeenStore("").cluster_index()
    assert assign_cluster(index, "menafn:1", text, RUN_1) == "menafn:1"
    assert assign_cluster(index, "menafn:2", text.replace(place, other), RUN_1) == "menafn:2"
    copy = text.replace("(MENAFN- Kuwait News Agency (KUNA))", "") + " (end) gta"
    assert assign_cluster(index, "agency:3", copy, RUN_1) == "menafn:1"


def test_precision_is_one_and_recall_at_least_095() -> None:
    """The floors the README states (precision before recall)."""
    alone, in_order, _ = evaluate()
    for scores in (alone, in_order):
        assert scores.precision == 1.0, scores.misses
        assert scores.recall >= 0.95, scores.misses


def test_todays_bulletins_never_join_each_other() -> None:
    """The real "Today In Kuwait's History" and KUNA briefings of different days."""
    store = SqliteSeenStore("")
    index = store.cluster_index()
    for case in sorted(FIXTURES.glob("*")):
        if "Today-In-Kuwait" in case.name or "Briefing-Of-KUNA" in case.name:
            story_id = f"menafn:{case.name.split('-')[0]}"
            text = next(case.glob("*.txt")).read_text("utf-8")
            assert assign_cluster(index, story_id, text, RUN_1) == story_id, case.name


def copy_of(text: str) -> str:
    return text.replace("said in its daily update.", "said in its daily update on Friday.")


def test_clusters_persist_and_a_forgotten_run_takes_its_rows_away(tmp_path: Path) -> None:
    path = str(tmp_path / "seen.sqlite3")
    text = WEATHER.read_text("utf-8")
    store = SqliteSeenStore(path)
    store.begin_run(RUN_1, "one.jsonl")
    assert assign_cluster(store.cluster_index(), "menafn:1", text, RUN_1) == "menafn:1"
    store.close()
    store = SqliteSeenStore(path)  # a later run, another process: the state is on disk
    store.begin_run(RUN_2, "two.jsonl")
    assert assign_cluster(store.cluster_index(), "agency:2", copy_of(text), RUN_2) == "menafn:1"
    store.forget_run(RUN_1)  # RUN_1 rolled back: its story and its cluster rows go
    rows = store.db.execute("SELECT story, cluster FROM cluster_members").fetchall()
    assert rows == [("agency:2", "menafn:1")]
    orphans = store.db.execute(
        "SELECT count(*) FROM cluster_bands WHERE member NOT IN (SELECT member FROM "
        "cluster_members)"
    ).fetchone()
    assert orphans == (0,)
    store.close()


def test_two_processes_linking_one_story_at_once_agree_on_its_cluster(tmp_path: Path) -> None:
    """Two wires crawled side by side into one state (the README's cron lines): a copy
    looked up while the original is being assigned waits for it, then joins its cluster,
    instead of reading the index before the original is in and starting a second cluster."""
    path = str(tmp_path / "seen.sqlite3")
    first = SqliteSeenStore(path)
    text = WEATHER.read_text("utf-8")
    found: list[str] = []

    def second_run() -> None:  # its own connection, as another process has
        second = SqliteSeenStore(path)
        found.append(assign_cluster(second.cluster_index(), "agency:2", text, RUN_2))
        second.close()

    copy = threading.Thread(target=second_run)
    index = first.cluster_index()
    with index.assigning():  # the first run is between its look-up and its add
        copy.start()
        copy.join(timeout=0.5)
        assert copy.is_alive(), "the copy's look-up did not wait for the original's add"
        assert assign_cluster(index, "menafn:1", text, RUN_1) == "menafn:1"
    copy.join(timeout=30)
    assert found == ["menafn:1"]
    first.close()


def test_a_texts_stored_fingerprint_never_changes() -> None:
    """Signatures, features and band keys are kept in the state across runs and releases: a
    hash or a parameter that changed would stop every new copy from finding its earlier story,
    and say nothing. If this fails on purpose, ``SCHEME`` must change with it (a state of the
    old scheme then refuses to run until ``scrapy clusters rebuild``)."""
    found = fingerprint(WEATHER.read_text("utf-8"))
    assert found is not None
    assert SCHEME.startswith("v2: ")
    assert hashlib.sha256(found.signature).hexdigest() == (
        "18989339c5efac0aeed95c179042e0dd5154527d2f52fd4c78636e18bc16371a"
    )
    assert hashlib.sha256(found.features).hexdigest() == (
        "69d13886bdd67f98088f3c6a7eb781705dbfa70dc3e44231a1ff6509fc728d38"
    )
    assert found.bands[:3] == (6904580898566312330, -1440567724431814804, -5040021924503339407)


def test_a_text_too_short_to_recognise_is_its_own_story() -> None:
    store = SqliteSeenStore("")
    index = store.cluster_index()
    assert fingerprint("Kuwait condemns attack.") is None
    assert assign_cluster(index, "menafn:1", "Kuwait condemns attack.", RUN_1) == "menafn:1"
    assert assign_cluster(index, "menafn:2", "Kuwait condemns attack.", RUN_1) == "menafn:2"


def test_the_issuers_boilerplate_is_not_the_story() -> None:
    lead = "Acme Corp. today opened a plant in Denver."
    about = "About Acme\n\nAcme Corp. makes tools for builders in 40 countries since 1950."
    assert story_text(None, f"{lead}\n\n{about}") == lead


def page(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")


@pytest.mark.slow
def test_a_copy_in_a_later_run_joins_the_first_articles_story(tmp_path: Path) -> None:
    """Run 1 writes the weather bulletin; run 2, on the same state, a copy of it under another
    id (linked) and the next day's bulletin (not linked)."""
    out, text = tmp_path / "output", WEATHER.read_text("utf-8")
    first = crawl_here(out, "-a", f"source={WEATHER}")
    assert first.status == 0, first.stderr
    (original,) = first.articles()
    assert original["cluster_id"] == original["id"] == "menafn:1109527582"
    later = tmp_path / "later"
    page(later, "1109600001-Hot-Weather-Copy.txt", copy_of(text))
    next_day = text.replace("May 9", "May 10").replace("from 34 to 19", "from 33 to 18")
    page(later, "1109600002-Hot-Weather-Next-Day.txt", next_day)
    second = crawl_here(out, "-a", f"source={later}")
    assert second.status == 0, second.stderr
    clusters = {a["id"]: a["cluster_id"] for a in second.articles()}
    assert clusters == {
        "menafn:1109600001": "menafn:1109527582",
        "menafn:1109600002": "menafn:1109600002",
    }


@pytest.mark.slow
def test_a_rolled_back_runs_clusters_disappear_with_its_stories(tmp_path: Path) -> None:
    """A run killed before its file was complete: the next run forgets its stories and their
    cluster rows, so a copy is not linked to an article that was never written."""
    out, text = tmp_path / "output", WEATHER.read_text("utf-8")
    state = out / ".state" / "seen.sqlite3"
    store = SqliteSeenStore(str(state))
    killed = "menafn/20200101T000000Z"
    store.begin_run(killed, str(out / "menafn" / "20200101T000000Z.jsonl"))  # never written
    store.add("menafn:1109527582", "sha256:" + "0" * 64, killed)
    assign_cluster(store.cluster_index(), "menafn:1109527582", text, killed)
    store.close()
    folder = tmp_path / "copy"
    page(folder, "1109600001-Hot-Weather-Copy.txt", copy_of(text))
    run = crawl_here(out, "-a", f"source={folder}", state=str(state))
    assert run.status == 0, run.stderr
    (article,) = run.articles()
    assert article["cluster_id"] == article["id"] == "menafn:1109600001"
    with sqlite3.connect(state) as db:
        assert db.execute(
            "SELECT count(*) FROM cluster_members WHERE run = ?", (killed,)
        ).fetchone() == (0,)


def menafn_copy(release: dict[str, Any], story_id: int) -> Story:
    """The MENAFN copy of a wire release as MENAFN prints one: "(MENAFN- PR Newswire)", then
    the wire's dateline in the text, and the release's SOURCE line kept."""
    first, *rest = release["body"].split("\n\n")
    paragraphs = [f"{release['dateline']} {first}", *rest, f"SOURCE {release['organization']}"]
    published = datetime.fromisoformat(release["published_at"]) + timedelta(minutes=22)
    title = release["title"]
    return Story(story_id, slugify(title), title, published, "PR Newswire", paragraphs)


def next_day(story: Story, story_id: int) -> Story:
    changes = {"May 9": "May 10", "Friday": "Saturday", "from 34 to 19": "from 33 to 18",
               "from 32 to 17": "from 31 to 16"}  # fmt: skip
    paragraphs = list(story.paragraphs)
    for old, new in changes.items():
        assert old in paragraphs[0]
        paragraphs[0] = paragraphs[0].replace(old, new)
    return replace(story, id=story_id, paragraphs=paragraphs,
                   published=story.published + timedelta(days=1))  # fmt: skip


@pytest.mark.slow
def test_a_menafn_copy_of_a_release_joins_the_wires_article(tmp_path: Path) -> None:
    """Two spiders, two runs, one output folder and its default state: PR Newswire's release
    (saved page), then MENAFN's live site with its copy of it, a weather bulletin and the next
    day's bulletin. The copy gets the release's cluster_id; the bulletins keep their own."""
    out = tmp_path / "output"
    release_page = FIXTURES.parent / "prnewswire" / "hackerrank-2016"
    release = json.loads((release_page / "expected.json").read_text("utf-8"))
    wire = crawl_here(out, "-a", f"source={release_page / 'page.html'}", state=DEFAULT_STATE,
                 spider="prnewswire")  # fmt: skip
    assert wire.status == 0, wire.stderr[-3000:]
    (original,) = wire.articles()
    assert original["cluster_id"] == original["id"] == "prnewswire:300256929"

    weather = next(s for s in load_fixture_stories(FIXTURES) if s.id == 1109527582)
    stories = [menafn_copy(release, 1109600101), weather, next_day(weather, 1109600202)]
    with MenafnSite(stories) as site:
        run = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, state=DEFAULT_STATE)
    assert run.status == 0, run.stderr[-3000:]
    clusters = {a["id"]: a["cluster_id"] for a in run.articles()}
    assert clusters == {
        "menafn:1109600101": "prnewswire:300256929",
        "menafn:1109527582": "menafn:1109527582",
        "menafn:1109600202": "menafn:1109600202",
    }
    assert (out / ".state" / "newscrawl.sqlite3").exists()  # the one default state
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "menafn", "newscrawl.duckdb", "prnewswire", "table"]  # fmt: skip
