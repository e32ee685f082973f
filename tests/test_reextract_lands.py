"""Re-extraction that lands (issue 19.2): `-a reextract=yes` writes the stories of a source again,
into the same output, and the table shows the new extraction of exactly those stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.spiders.arguments import BadArgument, check_arguments
from tests.conftest import SAMPLE, crawl


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"reextract": "yes"}, "reextract=yes re-extracts a source: give it -a source="),
        ({"reextract": "yes", "source": " "}, "source is empty"),
        ({"reextract": "maybe", "source": str(SAMPLE)}, "invalid reextract 'maybe'"),
        ({"reextract": "true", "source": str(SAMPLE)}, "expected yes or no"),
    ],
)
def test_bad_reextract_arguments_are_refused(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(BadArgument, match=message):
        check_arguments(arguments)


def test_reextract_takes_yes_or_no_beside_a_source() -> None:
    check_arguments({"reextract": "yes", "source": str(SAMPLE)})
    check_arguments({"reextract": "No", "source": str(SAMPLE)})
    check_arguments({"reextract": "no"})  # a live crawl that says it rewrites nothing


@pytest.mark.slow
def test_reextract_without_a_source_is_bad_usage(out: Path) -> None:
    run = crawl(out, "-a", "reextract=yes")
    assert run.status == 2
    (line,) = run.stderr.strip().splitlines()
    assert "a live crawl never rewrites a story" in line
    assert not out.exists()
