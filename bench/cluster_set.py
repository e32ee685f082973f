"""Builds the story-cluster evaluation set: ``python -m bench.cluster_set`` rewrites
``tests/fixtures/clusters/{stories,pairs}.jsonl`` from the golden fixtures (deterministic).

Stories: every golden fixture's article (real MENAFN stories, real and written wire releases),
copies of each as another site would carry it (other furniture, contact block trimmed, a
paragraph added, reflowed), and day-by-day series of templated bulletins made from the real
ones (weather, oil price, gold price, quarterly dividends), and templated families written
after the real templates (``bench.cluster_templates``: same-day statements of one agency,
condolence cables, an issuer's quarters, other issuers' dividends, appointments), with copies
of each. Pairs: each copy with its original (same story), every two different originals, every
two days of a series and every two fills of a family (not).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.cluster_series import series
from bench.cluster_templates import FAMILIES, family_stories, rewritten_statements, wire_copies
from bench.common import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
OUT = FIXTURES / "clusters"
Story = dict[str, Any]
ADDED = [
    "The company will discuss the results on a conference call at 10:00 a.m. Eastern Time; a "
    "replay will be available on its investor relations website for 30 days.",
    "Editor's note: this story was updated to add comments from the ministry and a link to the "
    "full statement, which was published later on the same day.",
    "Analysts said the move was widely expected and that markets had priced it in over the "
    "previous weeks, pointing to the steady flow of official statements.",
]


def originals() -> list[Story]:
    """One story per golden fixture (the same story id twice counts once)."""
    found: dict[str, Story] = {}
    for path in sorted(FIXTURES.glob("*/*/expected.json")):
        data = json.loads(path.read_text("utf-8"))
        story = {k: data[k] for k in ("id", "title", "dateline", "body")}
        found.setdefault(
            data["id"],
            {
                **story,
                "source": path.parent.parent.name,
                "note": f"fixture {path.parent.parent.name}/{path.parent.name}",
            },
        )
    return list(found.values())


def paragraphs(story: Story) -> list[str]:
    return str(story["body"]).split("\n\n")


def copy_on_other_site(story: Story) -> Story:
    """How the other site prints it: MENAFN puts a wire's dateline into the body and keeps the
    SOURCE line; an agency's own site drops MENAFN's dateline and keeps its end marker."""
    if story["source"] != "menafn":
        body = f"{story['dateline']} {story['body']}\n\nSOURCE {story['title'].split()[0]}"
        return {"source": "menafn", "dateline": "(MENAFN- PR Newswire)", "body": body}
    return {"source": "agency", "dateline": None, "body": f"{story['body']} (end) gta"}


def contact_trimmed(story: Story) -> Story | None:
    """The closing paragraph (contact block, About section, last line) left off."""
    parts = paragraphs(story)
    words = len(str(story["body"]).split())
    if len(parts) < 3 or len(parts[-1].split()) > words // 4:
        return None
    return {"body": "\n\n".join(parts[:-1])}


def paragraph_added(story: Story, rng: random.Random) -> Story:
    parts = paragraphs(story)
    at = rng.randrange(1, len(parts) + 1)
    return {"body": "\n\n".join([*parts[:at], rng.choice(ADDED), *parts[at:]])}


def reflowed(story: Story) -> Story:
    """Other paragraph breaks, straight quotes and dashes, doubled spaces."""
    text = str(story["body"]).replace("\n\n", " ", 1)
    text = re.sub("[\u201c\u201d]", '"', re.sub("[\u2018\u2019]", "'", text))
    text = text.replace("\u2014", "--").replace("\u2013", "-").replace(". ", ".  ", 3)
    return {"body": text}


def on_second_wire(story: Story) -> Story | None:
    """A release that two wires carry: the other wire's dateline (``May 2`` for ``May 02``)."""
    dateline = re.sub(
        r"\s*(?:/PRNewswire/|\(GLOBE NEWSWIRE\)|/CNW/|--\(Marketwired[^)]*\))"
        r"\s*-*$",
        "",
        str(story["dateline"] or ""),
    )
    if story["source"] == "menafn" or not dateline:
        return None
    place_and_date = re.sub(r"\b0(\d)\b", r"\1", dateline)
    other = "(GLOBE NEWSWIRE) --" if story["source"] == "prnewswire" else "/PRNewswire/ --"
    return {"source": "othwire", "dateline": f"{place_and_date} {other}"}


def bylined(story: Story) -> Story:
    """A republisher's byline and the headline repeated on top of the body."""
    return {"body": f"{story['title']}\n\nBy Staff Writer\n\n{story['body']}"}


def copies(story: Story, rng: random.Random) -> Iterator[tuple[str, Story]]:
    trimmed = contact_trimmed(story)
    second = on_second_wire(story)
    yield "other site's furniture", copy_on_other_site(story)
    if trimmed:
        yield "closing paragraph trimmed", trimmed
        yield (
            "other site's furniture, closing paragraph trimmed",
            {
                **copy_on_other_site({**story, **trimmed}),
                "body": copy_on_other_site({**story, **trimmed})["body"],
            },
        )
    if second:
        yield "the same release on a second wire", second
    yield "paragraph added", paragraph_added(story, rng)
    yield "headline and byline added", bylined(story)
    yield "reflowed", reflowed(story)


def build() -> tuple[list[Story], list[dict[str, Any]]]:
    rng = random.Random(11)
    stories: list[Story] = []
    pairs: list[dict[str, Any]] = []

    def add(story: Story) -> str:
        story.setdefault("id", f"eval:{len(stories) + 1}")
        stories.append(story)
        return str(story["id"])

    def add_copy(story: Story, story_id: str, kind: str, copy: Story, label: str) -> None:
        copy = {**{k: story[k] for k in ("title", "source", "body", "dateline")}, **copy,
                "note": f"{kind}: copy of {story_id}"}  # fmt: skip
        pairs.append({"a": story_id, "b": add(copy), "same": True, "kind": label})

    bases = originals()
    base_ids = [add(story) for story in bases]
    for story, story_id in zip(bases, base_ids, strict=True):
        for kind, copy in copies(story, rng):
            add_copy(story, story_id, kind, copy, kind)
    for i, a in enumerate(base_ids):
        for b in base_ids[i + 1 :]:
            pairs.append({"a": a, "b": b, "same": False, "kind": "different stories"})
    weather = next(s for s in bases if "Weather" in str(s["title"]))
    for kind, days in series(rng, str(weather["body"])):
        ids = [
            add(
                {
                    "title": kind,
                    "source": "menafn",
                    "dateline": None,
                    "body": body,
                    "note": f"{kind}, day {n}",
                }
            )
            for n, body in enumerate(days)
        ]
        for i, a in enumerate(ids):
            pairs.extend({"a": a, "b": b, "same": False, "kind": kind} for b in ids[i + 1 :])
        copy_id = add(
            {
                **copy_on_other_site({**stories[-1], "source": "menafn"}),
                "title": kind,
                "note": f"{kind}: the last day as the agency's site prints it",
            }
        )
        pairs.append({"a": ids[-1], "b": copy_id, "same": True, "kind": f"{kind}, copy"})
    briefing = next(s for s in bases if "Briefing" in str(s["title"]))
    for n, item in enumerate(paragraphs(briefing)[:4]):
        story_id = add(
            {
                "title": f"briefing item {n}",
                "source": "menafn",
                "dateline": None,
                "body": item,
                "note": f"one item of {briefing['id']} on its own",
            }
        )
        pairs.append(
            {
                "a": briefing["id"],
                "b": story_id,
                "same": False,
                "kind": "a briefing and one of its items",
            }
        )
    for family, site, template, fills in FAMILIES:
        members = family_stories(family, site, template, fills)
        ids = [add(story) for story in members]
        for i, a in enumerate(ids):
            pairs.extend({"a": a, "b": b, "same": False, "kind": family} for b in ids[i + 1 :])
        for kind, copy in copies(members[0], rng):
            add_copy(members[0], ids[0], kind, copy, f"{family}, copy")
        if "\n\nAttachment" in str(members[0]["body"]):
            for kind, copy in wire_copies(members[0]):
                add_copy(members[0], ids[0], kind, copy, kind)
    kind = "same-day statements, the event rewritten"
    for original, rewrites in rewritten_statements(dict(zip(base_ids, bases, strict=True))):
        ids = [original] + [add(rewrite) for rewrite in rewrites]
        for i, a in enumerate(ids):
            pairs.extend({"a": a, "b": b, "same": False, "kind": kind} for b in ids[i + 1 :])
    return stories, pairs


def write(path: Path, rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> None:
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=False) for row in sorted(rows, key=key)]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> None:
    stories, pairs = build()
    OUT.mkdir(exist_ok=True)
    write(OUT / "stories.jsonl", stories, key=lambda s: stories.index(s))
    write(OUT / "pairs.jsonl", pairs, key=lambda p: (not p["same"], p["kind"], p["a"], p["b"]))
    same = sum(p["same"] for p in pairs)
    print(f"{len(stories)} stories, {same} same-story pairs, {len(pairs) - same} other pairs")


if __name__ == "__main__":
    main()
