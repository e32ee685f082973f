"""The open case `04-warc-payload-digest` (`../shared/data/open-cases/`), crawled as its README
says (``scrapy crawl SPIDER -a source=FOLDER -s NEWSCRAWL_STATE=``), golden, field by field.

An archive another tool wrote (wget-lua): a chunked answer kept as received, its
``WARC-Payload-Digest`` over the de-chunked entity body as the WARC standard defines it. Other
archives of the kind, written here, are in ``test_warc_kinds.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, crawl

CASE = ROOT.parent / "shared" / "data" / "open-cases" / "04-warc-payload-digest"


@pytest.mark.skipif(not (CASE / "expected.json").exists(), reason=f"no open case at {CASE}")
def test_the_payload_digest_case_gives_its_expected_values(tmp_path: Path) -> None:
    expected = json.loads((CASE / "expected.json").read_text("utf-8"))
    run = crawl(tmp_path / "out", "-a", f"source={CASE}", state="", spider=expected["spider"])
    assert run.status == 0, run.stderr[-2000:]
    written = {a["id"]: a for a in run.articles()}
    assert sorted(written) == sorted(a["id"] for a in expected["articles"])
    for wanted in expected["articles"]:
        article = written[wanted["id"]]
        for field, value in wanted.items():
            if field != "note":  # why a value is what it is; not a field
                assert article[field] == value, f"{wanted['id']} {field}"
    line = run.last()
    for name, value in expected["run"].items():
        assert line[name] == value, name
    if expected.get("no_rejects"):
        assert run.rejects() == []
