"""Stories served by the local MENAFN-like site: synthetic ones and ones read from fixtures.

>>> a, b = synthetic_stories(2)
>>> a.id, len(str(b.id)), a.body != b.body
(1110000000, 10, True)
>>> slugify("Today In Kuwait's History")
'Today-In-Kuwaits-History'
>>> slugify("Kuwait oil price down 38 cents to USD 52.62 pb", title_case=False)
'Kuwait-oil-price-down-38-cents-to-USD-5262-pb'
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from . import vocabulary

# Story ids rise over time: 1109793603 was published 2025-07-13 04:11:24 and
# 1110449742 on 2025-12-08, i.e. roughly one id every 19.5 seconds.
_REF_ID = 1109793603
_REF_TIME = datetime(2025, 7, 13, 4, 11, 24, tzinfo=UTC)
_SECONDS_PER_ID = 19.5

EASTERN = ZoneInfo("America/New_York")  # MENAFN's clock (menafn-clock.md)
KUNA = "Kuwait News Agency (KUNA)"
PROVIDERS: tuple[str | None, ...] = (
    KUNA,
    KUNA,
    "Jordan News Agency",
    "The Peninsula",
    None,
    None,
    "UkrinForm",
    "Jordan Times",
    "Trend News Agency",
    "The Conversation",
)
PROVIDER_CODES = {
    KUNA: ("KUNA", "000071011013"),
    None: ("MENAFN", "000045015682"),
    "UkrinForm": ("UKR", "000193011044"),
    "Trend News Agency": ("TNA", "000139011007"),
    "The Conversation": ("TC", "000240011032"),
    "The Peninsula": ("PEN", "000063011025"),
    "Jordan News Agency": ("JNA", "000229011043"),
    "Jordan Times": ("JT", "000231011004"),
}
# listing section (tb_news.aspx?tb_html=...) -> the category shown on the story page
SECTIONS = {
    "tb_us": "United States",
    "tb_europe": "Europe",
    "tb_arab": "Arab World",
    "tb_asia": "Asia",
    "tb_politics": "Politics",
}


@dataclass(frozen=True)
class Story:
    """One article as the site serves it; `paragraphs` is the story text without dateline."""

    id: int
    slug: str
    title: str
    published: datetime
    provider: str | None
    paragraphs: list[str]
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    image: str | None = None  # path such as /updates/pr/2025-07/13/KUNA_3a05dimage_story.jpg

    @property
    def path(self) -> str:
        return f"/{self.id}/{self.slug}"

    @property
    def canonical_url(self) -> str:
        return f"https://menafn.com/{self.id}/{self.slug}"

    @property
    def dateline(self) -> str:
        return f"(MENAFN- {self.provider})" if self.provider else "(MENAFN)"

    @property
    def body(self) -> str:
        """The story text a correct extractor returns: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def local_published(self) -> datetime:
        """The publication time on MENAFN's clock (US Eastern), as its pages print it."""
        return self.published.astimezone(EASTERN)

    @property
    def tracking_id(self) -> str:
        code = PROVIDER_CODES.get(self.provider, ("X", "000999011000"))[1]
        return f"MENAFN{self.local_published:%d%m%Y}{code}ID{self.id}"


def slugify(title: str, *, title_case: bool = True) -> str:
    """MENAFN-style slug: punctuation dropped, words joined by '-'."""
    words = re.sub(r"[^\w\s-]", "", title).replace("_", "").split()
    words = [w for part in words for w in part.split("-") if w]
    if title_case:
        words = [w[:1].upper() + w[1:] for w in words]
    return "-".join(words)


def published_for_id(story_id: int) -> datetime:
    """A plausible UTC publication time for an id (ids rise with time), whole seconds."""
    when = _REF_TIME + timedelta(seconds=(story_id - _REF_ID) * _SECONDS_PER_ID)
    return when.replace(microsecond=0)


def id_for(moment: datetime) -> int:
    """The first story id published at or after ``moment`` (the inverse of published_for_id).

    >>> april = datetime(2025, 4, 1, tzinfo=UTC)
    >>> published_for_id(id_for(april)) >= april > published_for_id(id_for(april) - 1)
    True
    """
    story_id = _REF_ID + int((moment - _REF_TIME).total_seconds() // _SECONDS_PER_ID)
    while published_for_id(story_id) < moment:
        story_id += 1
    return story_id


def _image_path(rng: random.Random, provider: str | None, when: datetime) -> str | None:
    if rng.random() < 0.1:
        return None
    code = PROVIDER_CODES.get(provider, ("X", ""))[0]
    return f"/updates/pr/{when:%Y-%m}/{when:%d}/{code}_{rng.randrange(16**5):05x}image_story.jpg"


def _slots(rng: random.Random, when: datetime) -> dict[str, str]:
    country, country2 = rng.sample(vocabulary.COUNTRIES, 2)
    topic = rng.choice(vocabulary.TOPICS)
    org = rng.choice(vocabulary.ORGS)
    return {
        "country": country,
        "country2": country2,
        "city": rng.choice(vocabulary.CITIES),
        "org": org,
        "org_t": org.removeprefix("the ").title(),
        "org_t2": rng.choice(vocabulary.ORGS)[4:].title(),
        "topic": topic,
        "topic_t": topic.removeprefix("the ").title(),
        "verb": rng.choice(vocabulary.VERBS),
        "verb_t": rng.choice(vocabulary.VERBS).title(),
        "pct": f"{rng.randint(1, 40) / 10:.1f}%",
        "number": f"{rng.randint(120, 98000):,}",
        "cents": str(rng.randint(5, 95)),
        "price": f"{rng.randint(55, 95)}.{rng.randint(0, 99):02d}",
        "low": str(rng.randint(18, 30)),
        "high": str(rng.randint(31, 49)),
        "small": str(rng.randint(2, 9)),
        "weekday": vocabulary.WEEKDAYS[when.weekday()],
        "month": rng.choice(vocabulary.MONTHS),
    }


def _regular_story(rng: random.Random, story_id: int, when: datetime) -> Story:
    provider = rng.choice(PROVIDERS)
    slots = _slots(rng, when)
    title = rng.choice(vocabulary.TITLE_TEMPLATES).format(**slots)
    paragraphs = []
    for _ in range(rng.randint(4, 10)):
        sentences = [
            rng.choice(vocabulary.SENTENCES).format(**_slots(rng, when))
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs.append(" ".join(sentences))
    if provider == KUNA:
        paragraphs[0] = f"KUWAIT, {when:%b} {when.day} (KUNA) -- {paragraphs[0]}"
    elif provider == "Jordan News Agency":
        paragraphs[0] = f"Amman, {when:%b}. {when.day} (Petra) -- {paragraphs[0]}"
    category = rng.choice(list(SECTIONS.values()))
    return Story(
        story_id,
        slugify(title),
        title,
        when,
        provider,
        paragraphs,
        tags=rng.sample(vocabulary.TAGS, rng.randint(0, 3)),
        category=category,
        image=_image_path(rng, provider, when),
    )


def _recurring_story(rng: random.Random, story_id: int, when: datetime) -> Story:
    if rng.random() < 0.5:
        title = "Today In Kuwait's History"
        years = sorted(rng.sample(range(1961, 2024), rng.randint(4, 10)))
        paragraphs = [
            f"{y} -- " + rng.choice(vocabulary.HISTORY_EVENTS).format(**_slots(rng, when))
            for y in years
        ]
        paragraphs[0] = f"KUWAIT, {when:%b} {when.day} (KUNA) -- {paragraphs[0]}"
    else:
        title = (
            f"Briefing Of KUNA Main News For {vocabulary.WEEKDAYS[when.weekday()]} Until 00:00 GMT"
        )
        paragraphs = [
            f"{rng.choice(vocabulary.CITIES).upper()} -- "
            + rng.choice(vocabulary.SENTENCES).format(**_slots(rng, when))
            for _ in range(rng.randint(4, 10))
        ]
    return Story(
        story_id,
        slugify(title),
        title,
        when,
        KUNA,
        paragraphs,
        tags=["Kuwait"],
        category="Arab World",
        image=_image_path(rng, KUNA, when),
    )


def synthetic_stories(
    n: int, start_id: int = 1110000000, seed: int = 0, step: int = 60
) -> list[Story]:
    """n distinct stories with rising ids from start_id, oldest first; deterministic. Ids are
    1 to ``step`` apart (one id is 19.5 s: the default 60 gives about a story per 10 minutes;
    6,700 about two stories a day, for months of stories)."""
    rng = random.Random(f"{seed}:{start_id}")
    stories: list[Story] = []
    bodies: set[str] = set()
    story_id = start_id
    while len(stories) < n:
        when = published_for_id(story_id)
        make = _recurring_story if rng.random() < 0.08 else _regular_story
        story = make(rng, story_id, when)
        if story.body in bodies:  # astronomically rare; keeps the promise exact
            continue
        bodies.add(story.body)
        stories.append(story)
        story_id += rng.randint(1, step)
    return stories


_STORE_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s*")
_DATELINE = re.compile(r"^\(?\s*MENAFN\s*(?:-\s*((?:[^()]|\([^()]*\))*?))?\)\s*")
_BANNER = re.compile(r"^\w+day, \d{2} \w+ \d{4} \d{2}:\d{2} GMT$")
_TRACKING = re.compile(r"^MENAFN(\d{8})\d{12}ID\d+$")
_FIXTURE_NAME = re.compile(r"^(\d{10})-(.+)\.txt$")
_NOISE = {"403", "عربي", "--", ".jpg)"}  # page furniture seen in the saved text pages
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %I:%M:%S %p")


def _timestamp(line: str) -> datetime | None:
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(line, fmt).replace(tzinfo=EASTERN).astimezone(UTC)
        except ValueError:
            continue
    return None


def _fixture_story(story_id: int, slug: str, text: str) -> Story | None:
    lines = [_STORE_PREFIX.sub("", line.strip()) for line in text.splitlines()]
    lines = [
        line
        for line in lines
        if line
        and line not in _NOISE
        and "   " not in line
        and not line.startswith("|")
        and not _BANNER.match(line)
    ]  # navigation menus
    title, when, provider = slug.replace("-", " "), published_for_id(story_id), None
    first = lines[0] if lines else ""
    if (
        len(first.split()) >= 3
        and len(first) < 120
        and first[-1] not in ".-"
        and not _DATELINE.match(first)
        and not _timestamp(first)
    ):
        title = lines.pop(0)
    paragraphs: list[str] = []
    for line in lines:
        if line.startswith("Legal Disclaimer"):
            break
        if tracking := _TRACKING.match(line):
            day = datetime.strptime(tracking[1], "%d%m%Y").replace(tzinfo=UTC)
            when = datetime.combine(day.date(), when.timetz())
        elif stamp := _timestamp(line):
            when = stamp
        elif (dateline := _DATELINE.match(line)) and not paragraphs:
            provider = dateline[1].strip() if dateline[1] else None
            if rest := line[dateline.end() :]:
                paragraphs.append(rest)
        elif line != title:
            paragraphs.append(line)
    if not paragraphs:
        return None
    category = "Arab World" if provider in (KUNA, "Jordan News Agency") else "Politics"
    return Story(story_id, slug, title, when, provider, paragraphs, category=category)


def load_fixture_stories(folder: Path | str) -> list[Story]:
    """Stories from saved text pages `<folder>/*/<id>-<slug>.txt`; rough but realistic text."""
    stories: dict[int, Story] = {}
    for path in sorted(Path(folder).glob("*/*.txt")):
        match = _FIXTURE_NAME.match(path.name)
        if match and int(match[1]) not in stories:
            story = _fixture_story(int(match[1]), match[2], path.read_text(encoding="utf-8"))
            if story is not None:
                stories[story.id] = story
    return sorted(stories.values(), key=lambda s: s.id)
