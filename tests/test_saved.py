"""newscrawl.saved: which files are saved pages, and reading one safely."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from newscrawl.saved import (
    SavedPage,
    UnreadablePage,
    page_kind,
    read_saved_page,
    saved_page_paths,
)

MB = 1_000_000
PAGE = "(MENAFN) Kim\u2019s talks.\n".encode()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def gzip_of_zeros(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes, built 1 MB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(MB)
    parts = [packer.compress(chunk) for _ in range(size // MB)]
    return b"".join([*parts, packer.flush()])


# --- read_saved_page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("1109793603-Lavrov.txt", "text"),
        ("page.html", "html"),
        ("page.HTM", "html"),
        ("PAGE.TXT", "text"),
    ],
)
def test_read_saved_page(tmp_path: Path, name: str, kind: str) -> None:
    path = write(tmp_path / name, PAGE)
    assert read_saved_page(path, MB) == SavedPage(path, kind, PAGE)


def test_read_saved_page_at_exactly_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "p.txt", b"x" * 100)
    assert read_saved_page(path, 100).data == b"x" * 100


@pytest.mark.parametrize(
    ("data", "max_bytes", "reason", "detail"),
    [
        (b"", MB, "empty file", ""),
        (b" \n\t\r\n  ", MB, "empty file", ""),
        (b"text\x00\x01binary", MB, "binary file", "NUL bytes where text was expected"),
        (b"x" * 101, 100, "too large", "more than 100 bytes"),
    ],
)
def test_read_saved_page_refuses(
    tmp_path: Path, data: bytes, max_bytes: int, reason: str, detail: str
) -> None:
    path = write(tmp_path / "page.txt", data)
    with pytest.raises(UnreadablePage) as caught:
        read_saved_page(path, max_bytes)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_unreadable_page_message() -> None:
    assert str(UnreadablePage("too large", "more than 5 bytes")) == "too large: more than 5 bytes"
    assert str(UnreadablePage("empty file")) == "empty file"


@pytest.mark.parametrize("name", ["notes.json", "page", "page.gz", "page.txt.bak", "a.pdf"])
def test_read_saved_page_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, PAGE)
    with pytest.raises(UnreadablePage, match="not a saved page") as caught:
        read_saved_page(path, MB)
    assert caught.value.detail == "expected .txt, .html or .htm, maybe .gz"


def test_read_saved_page_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadablePage) as caught:
        read_saved_page(tmp_path / "gone.txt", MB)
    assert caught.value.reason == "unreadable file"


@pytest.mark.parametrize("name", ["1109793603-Lavrov.txt.gz", "page.html.GZ"])
def test_read_gzipped_page(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, gzip.compress(PAGE))
    page = read_saved_page(path, MB)
    assert (page.data, page.kind) == (PAGE, page_kind(path))
    assert page.text() == "(MENAFN) Kim\u2019s talks.\n"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"this is not gzip at all", "Error -3 while decompressing data: incorrect header check"),
        (gzip.compress(PAGE * 50, mtime=0)[:30], "truncated"),
    ],
    ids=["not-gzip", "truncated"],  # stable ids: xdist workers must collect the same tests
)
def test_read_corrupt_gzip(tmp_path: Path, data: bytes, detail: str) -> None:
    path = write(tmp_path / "page.txt.gz", data)
    with pytest.raises(UnreadablePage) as caught:
        read_saved_page(path, MB)
    assert (caught.value.reason, caught.value.detail) == ("bad gzip file", detail)


def test_gzip_of_an_empty_page_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt.gz", gzip.compress(b"  \n"))
    with pytest.raises(UnreadablePage, match="empty file"):
        read_saved_page(path, MB)


def test_gzip_bomb_is_too_large_quickly_and_in_bounded_memory(tmp_path: Path) -> None:
    bomb = gzip_of_zeros(50 * MB)
    assert len(bomb) < MB  # the file itself is small
    path = write(tmp_path / "bomb.html.gz", bomb)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnreadablePage) as caught:
            read_saved_page(path, MB)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (caught.value.reason, caught.value.detail) == ("too large", f"more than {MB} bytes")
    assert elapsed < 1.0
    assert peak < 8 * MB  # far from the 50 MB the bomb inflates to


# --- SavedPage.text ------------------------------------------------------------------------


def test_text_of_utf8() -> None:
    page = SavedPage(Path("p.txt"), "text", "Kim\u2019s \u0639\u0631\u0628\u064a".encode())
    assert page.text() == "Kim\u2019s \u0639\u0631\u0628\u064a"


def test_text_drops_a_utf8_bom() -> None:
    page = SavedPage(Path("p.txt"), "text", b"\xef\xbb\xbf(MENAFN) Text.")
    assert page.text() == "(MENAFN) Text."


ARABIC = "تراجع سعر صرف الدينار الكويتي أمام الدولار الأمريكي اليوم إلى 0.306 دينار. "


@pytest.mark.parametrize(
    ("text", "code_page"),
    [
        ("He said \u201cKim\u2019s caf\u00e9\u201d \u2014 \u20ac5", "cp1252"),  # a Windows tool
        (ARABIC * 3, "cp1256"),  # Arabic in its Windows code page
        ("Курс рубля к доллару снизился на торгах Московской биржи. " * 3, "cp1251"),
        ("قال الوزير، في بيان اليوم؛ إن الأسعار ارتفعت. فهل تستمر؟ " * 3, "cp1256"),  # G4
        ("Он сказал: «Курс растёт», и всё же рубль укрепился. " * 3, "cp1251"),
    ],
)
def test_text_in_a_code_page_is_read_as_an_html_page_is(text: str, code_page: str) -> None:
    """A text rendering declares no charset: bytes that are not UTF-8 are read by the rule
    HTML pages are (windows-1252, else the code page charset-normalizer names): F9."""
    assert SavedPage(Path("p.txt"), "text", text.encode(code_page)).text() == text


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"ok \xe2\x80", "invalid byte 0xe2 at offset 3"),  # truncated sequence
        ("Kim\u2019s caf\u00e9".encode() + b" \xe9t\xe9", "invalid byte 0xe9 at offset 14"),
        (b"abc \x81\x8d def", "invalid byte 0x81 at offset 4"),  # undefined in windows-1252
    ],
)
def test_text_no_encoding_reads_is_refused(data: bytes, detail: str) -> None:
    """UTF-8 with stray bytes (no code page reads both) and bytes windows-1252 leaves
    undefined are ``undecodable text``, never read as something else."""
    with pytest.raises(UnreadablePage) as caught:
        SavedPage(Path("p.txt"), "text", data).text()
    assert caught.value.reason == "undecodable text"
    assert caught.value.detail == f"{detail}, and no code page reads it as text"


def test_text_refuses_invalid_utf8_after_a_bom_naming_the_file_offset() -> None:
    with pytest.raises(UnreadablePage) as caught:
        SavedPage(Path("p.txt"), "text", b"\xef\xbb\xbfab\xff").text()
    assert caught.value.detail == "invalid byte 0xff at offset 5, and no code page reads it as text"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("1109793603-Lavrov.txt", "1109793603-Lavrov"),
        ("1109793603-Lavrov.txt.gz", "1109793603-Lavrov"),
        ("page.html", "page"),
        ("a.b.htm", "a.b"),
    ],
)
def test_stem(name: str, stem: str) -> None:
    assert SavedPage(Path("/x") / name, "text", b"x").stem == stem


# --- page_kind -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("1109-x.txt", "text"),
        ("1109-x.txt.gz", "text"),
        ("a.TXT", "text"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.HTM", "html"),
        ("a.html.gz", "html"),
        ("a.HTML.GZ", "html"),
        ("v1.2.html", "html"),
        ("r.json", None),
        ("a.gz", None),
        ("a.tar.gz", None),
        ("a.txt.bak", None),
        ("README", None),
        ("a.gz.txt", "text"),
    ],
)
def test_page_kind(name: str, kind: str | None) -> None:
    assert page_kind(Path(name)) == kind


# --- saved_page_paths ----------------------------------------------------------------------


def test_saved_page_paths_sorted_recursive_without_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.html",
        "sub/c.txt.gz",
        "sub/deeper/d.htm",
        "notes.json",
        ".hidden.txt",
        ".git/objects/x.txt",
        "sub/.cache/y.html",
    ]:
        write(tmp_path / name, PAGE)
    (tmp_path / "empty-folder").mkdir()
    found = [p.relative_to(tmp_path).as_posix() for p in saved_page_paths(tmp_path)]
    assert found == ["a.html", "b.txt", "notes.json", "sub/c.txt.gz", "sub/deeper/d.htm"]


def test_saved_page_paths_of_a_file_is_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / ".hidden-but-named.txt", PAGE)
    assert list(saved_page_paths(path)) == [path]


def test_saved_page_paths_under_a_hidden_source_folder(tmp_path: Path) -> None:
    source = tmp_path / ".pages"
    write(source / "a.txt", PAGE)
    assert list(saved_page_paths(source)) == [source / "a.txt"]


def test_saved_page_paths_of_an_empty_folder(tmp_path: Path) -> None:
    assert list(saved_page_paths(tmp_path)) == []
