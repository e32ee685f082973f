"""Run files: written under .part, renamed when complete; run names; runs.jsonl repair."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.run.files import JsonLinesPart, append_manifest, encode_line, listed_runs, run_name


def test_a_file_appears_under_its_name_only_when_finished(tmp_path: Path) -> None:
    part = JsonLinesPart(tmp_path / "run.jsonl")
    part.write({"title": "Kim’s visit", "n": 1})
    assert not part.path.exists()
    assert part.part.exists()
    assert part.finish(keep_empty=True)
    assert not part.part.exists()
    data = part.path.read_bytes()
    assert data == '{"title":"Kim’s visit","n":1}\n'.encode()
    assert part.sha256.hexdigest() == hashlib.sha256(data).hexdigest()


def test_lines_lost_to_another_worker_leave_the_sealed_file_before_its_rename(
    tmp_path: Path,
) -> None:
    part = JsonLinesPart(tmp_path / "run.jsonl")
    for n in range(4):
        part.write({"id": f"menafn:{n}", "title": "t"})
    assert part.seal(keep_empty=True)
    assert part.drop_ids({"menafn:1", "menafn:3"}) == 2
    assert not part.path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.jsonl.part"]  # no scratch left
    part.publish()
    data = part.path.read_bytes()
    assert data == b'{"id":"menafn:0","title":"t"}\n{"id":"menafn:2","title":"t"}\n'
    assert (part.lines, part.sha256.hexdigest()) == (2, hashlib.sha256(data).hexdigest())


def test_empty_files_are_kept_only_when_asked(tmp_path: Path) -> None:
    assert JsonLinesPart(tmp_path / "a.jsonl").finish(keep_empty=True)
    assert (tmp_path / "a.jsonl").read_bytes() == b""
    assert not JsonLinesPart(tmp_path / "b.jsonl").finish(keep_empty=False)
    assert not list(tmp_path.glob("b.*"))


def test_run_names_sort_in_run_order(tmp_path: Path) -> None:
    started = datetime(2026, 11, 28, 3, 4, 5, tzinfo=UTC)
    assert run_name(tmp_path, started) == "20261128T030405Z"
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "20261128T030405Z.jsonl").touch()
    assert run_name(tmp_path, started) == "20261128T030405Z_2"
    (tmp_path / "articles" / "20261128T030405Z_2.jsonl.part").touch()
    assert run_name(tmp_path, started) == "20261128T030405Z_3"


def test_run_names_are_taken_by_a_file_in_any_subfolder(tmp_path: Path) -> None:
    started = datetime(2026, 11, 28, 3, 4, 5, tzinfo=UTC)
    for taken in [
        "rejects/20261128T030405Z.jsonl",
        "archive/20261128T030405Z_2.warc.gz.part",
        "20261128T030405Z_3.rejects.jsonl",
        "archive/20261128T030405Z_4-00000.warc.gz",
    ]:
        (tmp_path / taken).parent.mkdir(exist_ok=True)
        (tmp_path / taken).touch()  # a run's rejects, a WARC being written, a 0.1 file, …
    assert run_name(tmp_path, started) == "20261128T030405Z_5"
    assert run_name(tmp_path / "missing", started) == "20261128T030405Z"
    elsewhere = tmp_path.parent / f"{tmp_path.name}-disk2"  # articles/ on another disk
    elsewhere.mkdir()
    (elsewhere / "20261128T030405Z_5.jsonl").touch()
    (tmp_path / "articles").symlink_to(elsewhere)
    assert run_name(tmp_path, started) == "20261128T030405Z_6"


def test_a_half_written_manifest_line_is_dropped(tmp_path: Path) -> None:
    manifest = tmp_path / "runs.jsonl"
    manifest.write_bytes(encode_line({"run": "a"}) + b'{"run": "b", "fi')
    append_manifest(manifest, {"run": "c"})
    assert manifest.read_bytes() == encode_line({"run": "a"}) + encode_line({"run": "c"})
    assert listed_runs(manifest) == {"a", "c"}


def test_run_names_avoid_runs_of_the_same_state_in_other_folders(tmp_path: Path) -> None:
    started = datetime(2026, 11, 28, 3, 4, 5, tzinfo=UTC)
    assert run_name(tmp_path, started, {"20261128T030405Z"}) == "20261128T030405Z_2"
