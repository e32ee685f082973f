"""The local MENAFN-like site (tests/site): pages, listings, request log and faults."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from tests.site import Fault, MenafnSite, load_fixture_stories, synthetic_stories
from tests.site.faults import BOMB_INFLATED_SIZE

FIXTURES = Path(__file__).parent / "fixtures" / "menafn"
LISTING = "/tb_news.aspx?tb_html=tb_arab&tb_title=Arab%20-%20Latest%20News"


@pytest.fixture
def site() -> Iterator[MenafnSite]:
    site = MenafnSite(synthetic_stories(120))
    site.start()
    yield site
    site.stop()


def fetch(site: MenafnSite, path: str, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects or decoding; returns status, headers, raw body."""
    address = urlsplit(site.base_url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def page(site: MenafnSite, path: str) -> Selector:
    status, _, body = fetch(site, path)
    assert status == 200
    return Selector(text=body.decode("utf-8"))


def test_synthetic_stories_are_deterministic_distinct_and_realistic() -> None:
    stories = synthetic_stories(300, seed=3)
    assert stories == synthetic_stories(300, seed=3)
    assert len({s.id for s in stories}) == len({s.body for s in stories}) == 300
    assert all(len(str(s.id)) == 10 and 4 <= len(s.paragraphs) <= 10 for s in stories)
    titles = [s.title for s in stories]
    assert titles.count("Today In Kuwait's History") >= 2
    assert [s.id for s in stories] == sorted(s.id for s in stories)


def test_fixture_stories_load() -> None:
    stories = load_fixture_stories(FIXTURES)
    assert len(stories) >= 15
    lavrov = next(s for s in stories if s.id == 1109793603)
    assert lavrov.title == "Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan"
    assert lavrov.provider is None
    assert lavrov.paragraphs[0].startswith("Russian Foreign Minister Sergey Lavrov")


def test_robots_default_and_configured(site: MenafnSite) -> None:
    status, headers, body = fetch(site, "/robots.txt")
    assert (status, body) == (200, b"User-agent: *\nDisallow:\n")
    assert headers["Content-Type"].startswith("text/plain")
    with MenafnSite([], robots_txt="User-agent: *\nDisallow: /tb_news.aspx\n") as other:
        assert fetch(other, "/robots.txt")[2].endswith(b"Disallow: /tb_news.aspx\n")


def test_listing_pages_and_link_variants(site: MenafnSite) -> None:
    first = page(site, "/qn_news_sections.aspx")
    links = first.css(".entry-title > a::attr(href)").getall()
    assert len(links) == 20
    assert len(first.css("div.img-wrapper > a::attr(href)").getall()) == 20
    joined = " ".join(links)
    assert "http://www.menafn.com/" in joined
    assert "?src=RSS" in joined
    assert "https://menafn.com/" in joined
    assert "?Social=on" in joined
    assert any(link.startswith("/") for link in links)
    assert all(ids.split("/")[3 if "//" in ids else 1].isdigit() for ids in links)
    next_href = first.css("a.next::attr(href)").get()
    assert next_href == "/qn_news_sections.aspx?page=2"
    second = page(site, next_href)
    assert not set(second.css(".entry-title > a::text").getall()) & set(links)
    last = page(site, "/qn_news_sections.aspx?page=6")  # 120 stories: pages 1-6
    assert len(last.css(".entry-title > a")) == 20
    assert not last.css("a.next")
    assert last.css("a.prev")
    section = page(site, LISTING)
    section_next = section.css("a.next::attr(href)").get() or ""
    assert "tb_html=tb_arab" in section_next
    assert "page=2" in section_next


def test_every_section_listing_exists(site: MenafnSite) -> None:
    for key in ("tb_us", "tb_europe", "tb_arab", "tb_asia", "tb_politics"):
        assert page(site, f"/tb_news.aspx?tb_html={key}").css(".entry-title > a")
    assert fetch(site, "/tb_news.aspx?tb_html=tb_mars")[0] == 404


def test_article_page_has_the_evidenced_markup(site: MenafnSite) -> None:
    story = next(s for s in site.stories if s.image and s.provider and "KUNA" in s.provider)
    status, headers, body = fetch(site, f"/{story.id}/{story.slug}")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert 50_000 <= len(body) <= 150_000
    sel = Selector(text=body.decode("utf-8"))
    assert sel.css("link[rel=canonical]::attr(href)").get() == story.canonical_url
    assert sel.css("meta[property='og:title']::attr(content)").get() == story.title
    assert sel.css("div.Style403::text").get() == "403"
    assert sel.css("#ContentPlaceHolder1_div_story img#ImgNews::attr(src)").get()
    assert sel.css("h1.main-entry-title::text").get() == story.title
    stamp = f"{story.local_published:%Y-%m-%d %H:%M:%S}"  # on MENAFN's Eastern clock
    assert sel.css("span.entry-date::text").get() == stamp
    assert sel.css("span#ContentPlaceHolder1_lbl_date_story::text").get() == stamp
    paragraphs = sel.css("#ContentPlaceHolder1_div_story_body > p::text").getall()
    assert paragraphs[0] == f"(MENAFN- Kuwait News Agency (KUNA)) {story.paragraphs[0]}"
    assert paragraphs[-1] == story.tracking_id
    assert sel.css("#ContentPlaceHolder1_img_logo_anchor::attr(alt)").get() == story.provider
    assert "Legal Disclaimer:" in sel.css("b::text").getall()
    assert sel.css("#ContentPlaceHolder1_lblb_cats::text").get() == story.category
    related = sel.css("ul.popular-news-list > li > a::attr(href)").getall()
    assert len(related) == 15
    assert all(h.split("/")[1].isdigit() for h in related)
    menafn_own = next(s for s in site.stories if s.provider is None)
    own = page(site, f"/{menafn_own.id}/any-slug?src=RSS")
    first = own.css("#ContentPlaceHolder1_div_story_body > p::text").get() or ""
    assert first.startswith("(MENAFN) ")


def test_fixture_story_article_size() -> None:
    stories = load_fixture_stories(FIXTURES)
    with MenafnSite(stories) as site:
        for story in stories:
            status, _, body = fetch(site, story.path)
            assert status == 200
            assert 50_000 <= len(body) <= 150_000


def test_add_stories_go_to_the_top(site: MenafnSite) -> None:
    newest = synthetic_stories(2, start_id=1112000000, seed=9)
    site.add_stories(newest)
    titles = page(site, "/qn_news_sections.aspx").css(".entry-title > a::text").getall()
    assert titles[:2] == [newest[1].title, newest[0].title]
    assert fetch(site, newest[0].path)[0] == 200
    status, _, body = fetch(site, "/_site/add?n=3")
    added = json.loads(body)["added"]
    assert status == 200
    assert len(added) == 3
    assert added[0]["id"] > newest[1].id
    top = page(site, "/qn_news_sections.aspx").css("div.img-wrapper > a::attr(href)").getall()
    assert {a["path"] for a in added} == set(top[:3])


def test_request_log(site: MenafnSite) -> None:
    story = site.stories[0]
    fetch(site, "/robots.txt")
    fetch(site, story.path)
    fetch(site, f"{story.path}?Social=on")
    fetch(site, "/no/such/page")
    log = site.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/robots.txt", 200),
        ("GET", story.path, 200),
        ("GET", f"{story.path}?Social=on", 200),
        ("GET", "/no/such/page", 404),
    ]
    assert all(r.time <= time.time() for r in log)
    assert len(site.article_requests()) == 2
    remote = json.loads(fetch(site, "/_site/requests")[2])
    assert [r["path"] for r in remote] == [r.path for r in log]  # /_site/ is not logged
    site.clear_requests()
    assert site.requests == []


def test_fault_statuses_then_normal(site: MenafnSite) -> None:
    site.faults["/qn_news_sections.aspx"] = Fault(statuses=[503, 503])
    assert [fetch(site, "/qn_news_sections.aspx")[0] for _ in range(3)] == [503, 503, 200]
    assert [r.status for r in site.requests] == [503, 503, 200]


def test_fault_retry_after_header(site: MenafnSite) -> None:
    story = site.stories[3]
    site.faults[f"/{story.id}"] = Fault(statuses=[429], headers={"Retry-After": "2"})
    status, headers, _ = fetch(site, story.path)
    assert (status, headers["Retry-After"]) == (429, "2")
    assert fetch(site, story.path)[0] == 200
    assert fetch(site, site.stories[4].path)[0] == 200  # other pages unaffected


def test_fault_hang_after_headers(site: MenafnSite) -> None:
    site.faults["/robots.txt"] = Fault(hang_after_headers=1.0)
    address = urlsplit(site.base_url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=0.3)
    conn.request("GET", "/robots.txt")
    response = conn.getresponse()  # headers arrive at once
    assert response.status == 200
    with pytest.raises(TimeoutError):
        response.read()
    conn.close()


def test_fault_truncate(site: MenafnSite) -> None:
    story = site.stories[0]
    site.faults[story.path] = Fault(truncate_at=1000)
    address = urlsplit(site.base_url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=5)
    conn.request("GET", story.path)
    response = conn.getresponse()
    assert int(response.getheader("Content-Length") or 0) > 50_000
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    assert len(error.value.partial) == 1000
    conn.close()


def test_fault_body_override_and_content_type(site: MenafnSite) -> None:
    story = site.stories[0]
    shell = "<html><body><div class='Style403'>403</div>café</body></html>".encode("cp1252")
    site.faults[story.path] = Fault(body_override=shell, content_type="text/html")
    status, headers, body = fetch(site, story.path)
    assert (status, headers["Content-Type"], body) == (200, "text/html", shell)
    site.faults["/made-up"] = Fault(body_override=b"soft 404")
    assert fetch(site, "/made-up")[:3:2] == (200, b"soft 404")


def test_fault_redirect(site: MenafnSite) -> None:
    story = site.stories[0]
    site.faults["/old/"] = Fault(redirect_to=story.path)
    status, headers, _ = fetch(site, "/old/story.aspx")
    assert (status, headers["Location"]) == (302, story.path)
    with urllib.request.urlopen(f"{site.base_url}/old/story.aspx", timeout=5) as response:
        assert response.url.endswith(story.path)


def test_fault_gzip_bomb(site: MenafnSite) -> None:
    story = site.stories[0]
    site.faults[story.path] = Fault(gzip_bomb=True)
    status, headers, body = fetch(site, story.path, timeout=10)
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert len(body) < 2_000_000
    inflater, inflated, data = zlib.decompressobj(16 + zlib.MAX_WBITS), 0, body
    while data and inflated < BOMB_INFLATED_SIZE:
        inflated += len(inflater.decompress(data, 2**24))
        data = inflater.unconsumed_tail
    assert inflated >= 200 * 2**20


def test_unknown_paths_are_404(site: MenafnSite) -> None:
    for path in ("/nothing-here", "/9999999999/Missing-Story", "/qn_calendar.aspx", "/12345/x"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{site.base_url}{path}", timeout=5)
        assert error.value.code == 404


def test_make_site_on_a_port_in_use_is_one_line(site: MenafnSite) -> None:
    """`make site` on a taken port printed a 9-frame traceback (a fresh user's report)."""
    port = str(urlsplit(site.base_url).port)
    done = subprocess.run(
        [sys.executable, "-m", "tests.site", "--port", port, "--stories", "1"],
        capture_output=True, text=True, timeout=60, check=False, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        1,
        "tests.site: cannot serve: Address already in use\n",
    )
