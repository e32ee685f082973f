"""Precision and recall of the story clusters on the evaluation set (``tests/fixtures/clusters``).

Each labelled pair goes through the production path: a fresh in-memory state, the first story
assigned, then the second; the pair is linked when the second gets the first's cluster. The
whole set is also fed in order into one state, to show that chains of links never join two
stories labelled different.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from newscrawl.clusters import assign_cluster, fingerprint, story_text
from newscrawl.clusters.features import agree
from newscrawl.clusters.minhash import similarity
from newscrawl.state import SqliteSeenStore

SET = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "clusters"


class Story(TypedDict):
    """One line of ``stories.jsonl``."""

    id: str
    title: str
    source: str
    dateline: str | None
    body: str
    note: str


class Pair(TypedDict):
    """One line of ``pairs.jsonl``: stories ``a`` and ``b``, labelled the same story or not."""

    a: str
    b: str
    same: bool
    kind: str


def load(name: str) -> list[Any]:
    """The rows of one file of the set (a ``Story`` or a ``Pair`` each)."""
    lines = (SET / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def text(story: Story) -> str:
    return story_text(story["dateline"], story["body"])


@dataclass
class Scores:
    """Pair counts and the misses, by kind."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        linked = self.true_pos + self.false_pos
        return self.true_pos / linked if linked else 1.0

    @property
    def recall(self) -> float:
        same = self.true_pos + self.false_neg
        return self.true_pos / same if same else 1.0

    def count(self, pair: Pair, linked: bool, detail: str) -> None:
        if pair["same"] and linked:
            self.true_pos += 1
        elif pair["same"]:
            self.false_neg += 1
            self.misses.append(f"missed {pair['kind']}: {pair['a']} ~ {pair['b']} ({detail})")
        elif linked:
            self.false_pos += 1
            self.misses.append(
                f"wrongly linked {pair['kind']}: {pair['a']} ~ {pair['b']} ({detail})"
            )
        else:
            self.true_neg += 1


def linked_alone(a: Story, b: Story) -> bool:
    """Whether ``b`` joins ``a``'s cluster in a state holding only ``a``."""
    store = SqliteSeenStore("")
    index = store.cluster_index()
    assign_cluster(index, a["id"], text(a), "eval/1")
    cluster = assign_cluster(index, b["id"], text(b), "eval/1")
    store.close()
    return cluster == a["id"]


def explain(a: Story, b: Story) -> str:
    """Why a pair was scored as it was: the similarity estimate and the features rule."""
    left, right = fingerprint(text(a)), fingerprint(text(b))
    if left is None or right is None:
        return "too short"
    features = "features agree" if agree(left.features, right.features) else "features differ"
    return f"similarity {similarity(left.signature, right.signature):.2f}, {features}"


def evaluate_pairs(stories: dict[str, Story], pairs: Iterable[Pair]) -> Scores:
    scores = Scores()
    for pair in pairs:
        a, b = stories[pair["a"]], stories[pair["b"]]
        scores.count(pair, linked_alone(a, b), explain(a, b))
    return scores


def evaluate_in_order(stories: list[Story], pairs: Iterable[Pair]) -> Scores:
    """All stories through one state in file order; pairs scored by the clusters they got."""
    store = SqliteSeenStore("")
    index = store.cluster_index()
    clusters = {s["id"]: assign_cluster(index, s["id"], text(s), "eval/1") for s in stories}
    store.close()
    scores = Scores()
    for pair in pairs:
        scores.count(pair, clusters[pair["a"]] == clusters[pair["b"]], "in order")
    return scores


def evaluate() -> tuple[Scores, Scores, dict[str, int]]:
    """(pair scores, in-order scores, pairs by kind) on the stored evaluation set."""
    stories: list[Story] = load("stories.jsonl")
    pairs: list[Pair] = load("pairs.jsonl")
    kinds: dict[str, int] = {}
    for pair in pairs:
        kinds[pair["kind"]] = kinds.get(pair["kind"], 0) + 1
    by_id = {s["id"]: s for s in stories}
    return evaluate_pairs(by_id, pairs), evaluate_in_order(stories, pairs), kinds


if __name__ == "__main__":
    alone, in_order, kinds = evaluate()
    for name, scores in (("pairs", alone), ("in order", in_order)):
        print(f"{name}: precision {scores.precision:.3f}, recall {scores.recall:.3f} "
              f"(tp {scores.true_pos}, fp {scores.false_pos}, fn {scores.false_neg}, "
              f"tn {scores.true_neg})")  # fmt: skip
        for miss in scores.misses:
            print("   ", miss)
    print(kinds)
