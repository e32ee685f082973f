"""Press releases served by the local wire sites (GlobeNewswire, PR Newswire): synthetic, varied.

>>> a, b = synthetic_releases("prnewswire", 2)
>>> len(a.id), a.path.endswith(f"-{a.id}.html"), a.body != b.body
(9, True, True)
>>> synthetic_releases("globenewswire", 1)[0].path.startswith("/news-release/20")
True
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")  # both wires print their stamps in ET
HOSTS = {"globenewswire": "www.globenewswire.com", "prnewswire": "www.prnewswire.com"}
FIRST_IDS = {"globenewswire": 3100000, "prnewswire": 302400000}
_START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)

ISSUERS = (
    ("Nordwind Robotics Inc.", "Pittsburgh", "Pa."),
    ("Helio Grid Systems", "Austin", "Texas"),
    ("Caldera Therapeutics", "Cambridge", "Mass."),
    ("Bluefin Logistics Corp.", "Long Beach", "Calif."),
    ("Aster Mining Ltd.", "Vancouver", "British Columbia"),
    ("Quarry Lane Foods", "Chicago", "Ill."),
    ("Meridian Payments plc", "London", "United Kingdom"),
    ("Tidewater Energy ASA", "Oslo", "Norway"),
    ("Granite Peak Bancorp", "Denver", "Colo."),
    ("Lumen Optics GmbH", "Munich", "Germany"),
)
PRODUCTS = ("a battery module", "a cloud platform", "a freight tracking service",
            "a diagnostic test", "a payments terminal", "a solar inverter")  # fmt: skip
PEOPLE = ("Maria Keller", "James Okafor", "Ana Lindqvist", "Ravi Menon", "Sofia Duarte",
          "Daniel Brooks", "Hana Sato", "Omar Haddad")  # fmt: skip
# (headline, lead sentence) with the same slots
TITLES = (
    ("{org} Reports Fourth Quarter Revenue of ${revenue} Million",
     "{org} today reported revenue of ${revenue} million for the fourth quarter, up {pct} "
     "percent from a year earlier."),
    ("{org} Launches {product_t} for {market} Customers",
     "{org} today launched {product} for customers in the {market} market."),
    ("{org} Appoints {person} as Chief Financial Officer",
     "{org} today appointed {person} as chief financial officer, effective {month} 1."),
    ("{org} Opens New Facility in {city2}, Adding {jobs} Jobs",
     "{org} today opened a new facility in {city2} that will add {jobs} jobs by {month}."),
    ("{org} Completes Acquisition of {target} for ${price} Million",
     "{org} today completed its acquisition of {target} for ${price} million in cash."),
)  # fmt: skip
SENTENCES = (
    "Revenue for the quarter rose {pct} percent to ${revenue} million, and the company raised "
    "its outlook for the year.",
    "The new facility in {city2} will employ {jobs} people when it reaches full output in {month}.",
    "The company said {product} has been tested with {customers} customers in the {market} "
    "market since last spring.",
    "“We built {product} because our customers asked for it,” said {person}, chief executive "
    "of {org}. “Demand in the {market} market has grown faster than we planned.”",
    "The transaction is expected to close in {month}, subject to regulatory approvals, and "
    "will be paid in cash.",
    "Shares of {org} have gained {pct} percent this year, while its order book grew to "
    "${price} million at the end of {month}.",
    "Analysts at {bank} expect margins to widen by {small} points as input costs ease.",
)
# The issuers' listings as the news sitemaps print them (`news:stock_tickers`): the exchange
# under a short or a long name, as issuers give it (GlobeNewswire's sitemap shows both forms).
TICKERS = {
    "Nordwind Robotics Inc.": ("NASDAQ:NWRB",),
    "Helio Grid Systems": ("NYSE:HGS",),
    "Caldera Therapeutics": ("Nasdaq Global Select Market:CLDT",),
    "Aster Mining Ltd.": ("TSX Venture Exchange:ASTM", "OTCQB:ASTMF"),
    "Quarry Lane Foods": ("NYSE:QLF",),
    "Granite Peak Bancorp": ("Nasdaq:GPBC",),
}
# news:keywords of a release, by the kind of its headline (TITLES, in order)
KEYWORDS = (("Earnings",), ("Product Launch",), ("Management Changes",),
            ("Expansion", "Jobs"), ("Mergers and Acquisitions",))  # fmt: skip
MARKETS = ("European", "North American", "Japanese", "Brazilian", "Indian", "Nordic")
BANKS = ("Harbor Securities", "Kestrel Capital", "North Point Research")
TARGETS = ("Vela Sensors", "Pinecrest Analytics", "Oakmont Packaging", "Sable Systems")
MONTHS = ("April", "June", "September", "November")
CITIES = ("Reno", "Leipzig", "Monterrey", "Gdansk", "Raleigh", "Osaka")


@dataclass(frozen=True)
class Release:
    """One press release as a wire's local site serves it; ``paragraphs`` is its text after
    the dateline, without the wire's furniture (what a correct extractor gives as ``body``)."""

    wire: str  # "globenewswire" or "prnewswire"
    id: str
    path: str  # on the wire's host
    title: str
    organization: str
    published: datetime  # UTC
    city: str  # the dateline's place: "PITTSBURGH, Pa."
    paragraphs: tuple[str, ...]
    style: str = "current"  # the dateline: "current", or "marketwired" / "cnw" (older forms)
    tickers: tuple[str, ...] = ()  # as its news sitemap entry lists them (news:stock_tickers)
    keywords: tuple[str, ...] = ()  # news:keywords

    @property
    def canonical_url(self) -> str:
        return f"https://{HOSTS[self.wire]}{self.path}"

    @property
    def local(self) -> datetime:
        return self.published.astimezone(EASTERN)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def dateline(self) -> str:
        """The dateline as printed, as the ``dateline`` field gives it."""
        day = f"{self.local:%B} {self.local.day}, {self.local:%Y}"
        if self.style == "marketwired":
            return f"{self.city}--(Marketwired - {self.local:%B %d, %Y}) -"
        if self.wire == "globenewswire":
            return f"{self.city}, {self.local:%B %d, %Y} (GLOBE NEWSWIRE) --"
        mark = "/CNW/ -" if self.style == "cnw" else "/PRNewswire/ --"
        return f"{self.city}, {day} {mark}"


def slugify(title: str) -> str:
    """Title words joined with ``-``, punctuation dropped (both wires' URL slugs).

    >>> slugify("Acme Reports Revenue of $12.5 Million")
    'Acme-Reports-Revenue-of-125-Million'
    """
    return "-".join(re.sub(r"[^\w\s-]", "", title).replace("-", " ").split())


def release_path(wire: str, release_id: str, title: str, local: datetime) -> str:
    if wire == "globenewswire":
        return f"/news-release/{local:%Y/%m/%d}/{release_id}/0/en/{slugify(title)}.html"
    return f"/news-releases/{slugify(title).lower()}-{release_id}.html"


def _slots(rng: random.Random, org: str) -> dict[str, str]:
    product = rng.choice(PRODUCTS)
    return {
        "org": org,
        "product": product,
        "product_t": product.removeprefix("a ").title(),
        "person": rng.choice(PEOPLE),
        "market": rng.choice(MARKETS),
        "city2": rng.choice(CITIES),
        "target": rng.choice(TARGETS),
        "bank": rng.choice(BANKS),
        "month": rng.choice(MONTHS),
        "revenue": f"{rng.randint(20, 900)}.{rng.randint(1, 9)}",
        "price": str(rng.randint(40, 2400)),
        "jobs": str(rng.randint(40, 900)),
        "customers": str(rng.randint(12, 300)),
        "pct": str(rng.randint(3, 48)),
        "small": str(rng.randint(1, 4)),
    }


def synthetic_release(wire: str, release_id: int, when: datetime, rng: random.Random) -> Release:
    """One release with its own issuer, title, text and About section."""
    org, city, region = rng.choice(ISSUERS)
    slots = _slots(rng, org)
    headline, lead = rng.choice(TITLES)
    title = headline.format(**slots)
    paragraphs = [
        " ".join(rng.choice(SENTENCES).format(**_slots(rng, org)) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(3, 6))
    ]
    paragraphs[0] = f"{lead.format(**slots)} {paragraphs[0]}"
    about = f"{org} is a company based in {city}, {region}, with {rng.randint(80, 9000)} staff."
    style = rng.choice(("current", "current", "current", "marketwired" if wire == "globenewswire"
                        else "cnw"))  # fmt: skip
    place = f"{city.upper()}, {region}"
    local = when.astimezone(EASTERN)
    return Release(
        wire, str(release_id), release_path(wire, str(release_id), title, local), title, org,
        when, place, (*paragraphs, f"About {org}", about), style, TICKERS.get(org, ()),
        KEYWORDS[TITLES.index((headline, lead))],
    )  # fmt: skip


def synthetic_releases(
    wire: str, n: int, start_id: int | None = None, seed: int = 0, step: int = 80
) -> list[Release]:
    """n releases of ``wire`` with rising ids and times, oldest first; deterministic. Ids are 1
    to ``step`` apart (one id is 3 minutes: 80 gives about a release an hour; 700 about one
    every 17 hours, for months of releases)."""
    rng = random.Random(f"{wire}:{seed}:{start_id}")
    release_id = FIRST_IDS[wire] if start_id is None else start_id
    releases: list[Release] = []
    while len(releases) < n:
        release = synthetic_release(wire, release_id, published_for_id(wire, release_id), rng)
        if all(release.body != other.body for other in releases):  # one text, one release
            releases.append(release)
        release_id += rng.randint(1, step)
    return releases


def published_for_id(wire: str, release_id: int) -> datetime:
    """A publication time for an id: ids rise with time, one every 3 minutes."""
    return _START + timedelta(minutes=3 * (release_id - FIRST_IDS[wire]))


def release_id_for(wire: str, moment: datetime) -> int:
    """The first release id published at or after ``moment`` (inverse of published_for_id).

    >>> release_id_for("prnewswire", _START + timedelta(minutes=7))
    302400003
    """
    return FIRST_IDS[wire] + -(-int((moment - _START).total_seconds()) // 180)
