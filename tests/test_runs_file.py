"""Reading ``runs.jsonl`` without reading all of it: the newest lines from its end (health,
the last cron run, the coverage alarm) and the names a new run could take."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.run.files import encode_line, listed_runs, newest_lines


def lines(n: int) -> list[dict[str, object]]:
    return [{"run": f"20261128T0{i:05d}Z", "note": "é" * (i % 7)} for i in range(n)]


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 16])
def test_newest_lines_are_every_line_newest_first_whatever_the_block(
    tmp_path: Path, block: int
) -> None:
    manifest = tmp_path / "runs.jsonl"
    records = lines(40)
    manifest.write_bytes(b"".join(map(encode_line, records)) + b"not json\n" + b'{"run": "half')
    assert list(newest_lines(manifest, block)) == records[::-1]


def bytes_read() -> int:
    """What this process has read so far (Linux: ``rchar`` of /proc/self/io)."""
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"])


def test_newest_lines_reads_only_the_end_it_is_asked_for(tmp_path: Path) -> None:
    manifest = tmp_path / "runs.jsonl"
    manifest.write_bytes(b"".join(map(encode_line, lines(60_000))))  # 2.6 MB
    before = bytes_read()
    newest = newest_lines(manifest, block=64 * 1024)
    assert [next(newest)["run"] for _ in range(100)][-1] == "20261128T059900Z"
    newest.close()
    assert bytes_read() - before < 256 * 1024


def test_no_lines_from_a_file_that_is_missing_or_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").touch()
    assert list(newest_lines(tmp_path / "missing.jsonl")) == []
    assert list(newest_lines(tmp_path / "empty.jsonl")) == []


def test_listed_runs_gives_the_names_with_a_prefix(tmp_path: Path) -> None:
    manifest = tmp_path / "runs.jsonl"
    manifest.write_bytes(
        encode_line({"run": "20261128T031202Z", "file": None})
        + encode_line({"run": "20261128T031202Z_2"})
        + encode_line({"run": "20261129T031202Z", "note": "20261128T031202Z in a note"})
        + encode_line({"file": "x"})
    )
    assert listed_runs(manifest, "20261128T031202Z") == {"20261128T031202Z", "20261128T031202Z_2"}
    assert listed_runs(manifest) == {"20261128T031202Z", "20261128T031202Z_2", "20261129T031202Z"}
    assert listed_runs(tmp_path / "missing.jsonl", "x") == set()
