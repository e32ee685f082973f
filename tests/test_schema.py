"""Schema versions: each is the one before plus three keys; older files stay valid and readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION, load_schema

V1_LINE: dict[str, Any] = {
    "schema_version": 1,
    "id": "menafn:1109793603",
    "source": "menafn",
    "url": "https://menafn.com/1109793603/Lavrov-North-Korean-Leader",
    "title": "Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan",
    "published_at": "2025-07-13T04:11:24+00:00",
    "page_date": "2024-01-02T12:17:00+00:00",
    "dateline": "(MENAFN)",
    "provider": "MENAFN",
    "body": "Russian Foreign Minister Sergey Lavrov met with North Korean leader Kim Jong-un.",
    "summary": None,
    "image_url": None,
    "tags": [],
    "category": None,
    "language": "en",
    "tracking_id": None,
    "word_count": 12,
    "content_hash": "sha256:" + "0" * 64,
    "crawled_at": "2026-11-28T00:00:00+00:00",
}


def v2_line(**changes: Any) -> dict[str, Any]:
    line = {**V1_LINE, "schema_version": 2, "published_text": "2025-07-13 04:11:24"}
    line.update({"organization": None, "cluster_id": V1_LINE["id"], **changes})
    return {name: line[name] for name in load_schema(2)["required"]}


def v3_line(**changes: Any) -> dict[str, Any]:
    line: dict[str, Any] = {**v2_line(), "schema_version": 3, "tickers": [], "corrects": None}
    line.update({"extracted_by": "newscrawl 0.3.0", **changes})
    return {name: line[name] for name in ARTICLE_FIELDS}


def test_v3_is_v2_plus_three_keys_in_contract_order() -> None:
    v2, v3 = load_schema(2), load_schema(3)
    assert SCHEMA_VERSION == 3
    assert v3["required"] == list(ARTICLE_FIELDS)
    added = [k for k in v3["required"] if k not in v2["required"]]
    assert added == ["tickers", "corrects", "extracted_by"]
    assert [k for k in v3["required"] if k in v2["required"]] == v2["required"]
    order = v3["required"]
    assert order.index("tickers") == order.index("organization") + 1
    assert order.index("corrects") == order.index("cluster_id") + 1
    assert order.index("extracted_by") == order.index("crawled_at") + 1
    assert v3["additionalProperties"] is False


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({}, True),
        ({"tickers": ["NASDAQ:AAPL", "TSX:ARG", "NYSE:BRK.B"]}, True),
        ({"tickers": ["NASDAQ: AAPL"]}, False),  # EXCHANGE:SYMBOL, no space
        ({"tickers": ["nasdaq:aapl"]}, False),  # upper case
        ({"tickers": ["NYSE:IBM", "NYSE:IBM"]}, False),
        ({"corrects": "prnewswire:302612345"}, True),
        ({"corrects": "not an id"}, False),
        ({"extracted_by": None}, False),
        ({"extracted_by": "0.3.0"}, False),
        ({"language": "eng"}, False),  # ISO 639-1: two letters
        ({"body": "Results:\n\n| Item | Q3 |\n| --- | --- |\n| Revenue | 412.6 |"}, True),
        ({"body": "Revenue\n412.6"}, False),  # a line break outside a table
        ({"body": "| a | b |\nRevenue"}, False),
        ({"schema_version": 2}, False),
    ],
)
def test_v3_rules(changes: dict[str, Any], valid: bool) -> None:
    errors = list(Draft202012Validator(load_schema(3)).iter_errors(v3_line(**changes)))
    assert (not errors) is valid, errors


def test_a_v2_line_still_validates_against_v2_and_not_as_v3() -> None:
    line = v2_line()
    assert not list(Draft202012Validator(load_schema(2)).iter_errors(line))
    assert list(Draft202012Validator(load_schema(3)).iter_errors(line))


def test_v2_is_v1_plus_three_keys_in_contract_order() -> None:
    v1, v2 = load_schema(1), load_schema(2)
    added = [k for k in v2["required"] if k not in v1["required"]]
    assert added == ["published_text", "organization", "cluster_id"]
    assert [k for k in v2["required"] if k in v1["required"]] == v1["required"]
    order = v2["required"]
    assert order.index("published_text") == order.index("published_at") + 1
    assert order.index("organization") == order.index("provider") + 1
    assert order.index("cluster_id") == order.index("content_hash") + 1
    assert v2["additionalProperties"] is False


def test_a_v1_line_still_validates_against_v1_and_not_as_v2() -> None:
    assert not list(Draft202012Validator(load_schema(1)).iter_errors(V1_LINE))
    assert list(Draft202012Validator(load_schema(2)).iter_errors(V1_LINE))


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({}, True),
        ({"organization": "HackerRank", "published_text": None}, True),
        ({"cluster_id": "prnewswire:300256929"}, True),
        ({"cluster_id": None}, False),  # every article belongs to a story
        ({"cluster_id": "not an id"}, False),
        ({"organization": ""}, False),
        ({"published_text": ""}, False),
        ({"schema_version": 1}, False),
    ],
)
def test_v2_rules(changes: dict[str, Any], valid: bool) -> None:
    errors = list(Draft202012Validator(load_schema(2)).iter_errors(v2_line(**changes)))
    assert (not errors) is valid, errors


def select(query: str) -> list[tuple[Any, ...]]:
    """The rows of a DuckDB query (``duckdb.sql`` gives None only for statements without rows)."""
    relation = duckdb.sql(query)
    assert relation is not None
    return relation.fetchall()


def test_readers_take_v1_and_v2_files_together_by_key_name(tmp_path: Path) -> None:
    """DuckDB's union_by_name reads both versions; the keys v1 lacks come out null."""
    old = tmp_path / "20251101T000000Z.jsonl"
    new = tmp_path / "20261128T000000Z.jsonl"
    old.write_text(json.dumps(V1_LINE) + "\n", "utf-8")
    linked = v2_line(id="menafn:1109793604", cluster_id="menafn:1109793603")
    new.write_text(json.dumps(linked) + "\n", "utf-8")
    rows = select(
        f"SELECT schema_version, id, published_text IS NULL, organization, cluster_id "
        f"FROM read_json_auto('{tmp_path}/*.jsonl', union_by_name = true) ORDER BY id"
    )
    assert rows == [
        (1, "menafn:1109793603", True, None, None),
        (2, "menafn:1109793604", False, None, "menafn:1109793603"),
    ]
    # A reader that wants every article's story falls back to the id for v1 lines.
    stories = select(
        f"SELECT coalesce(cluster_id, id) AS story, count(*) FROM "
        f"read_json_auto('{tmp_path}/*.jsonl', union_by_name = true) GROUP BY 1"
    )
    assert stories == [("menafn:1109793603", 2)]
