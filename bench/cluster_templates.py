"""Templated near-misses for the story-cluster evaluation set (``bench.cluster_set``).

Each family is one template of real copy, written after the real pages in
``../shared/data/menafn-pages/`` and the wire fixtures, filled several times the way its agency
or issuer fills it: the same day's statements on other attacks, condolence cables to other
heads of state, prices of other days (or the same price on another day), an issuer's other
quarters, other issuers' dividends on one template, other people appointed. Two fills of one
family are different stories, however many words they share. The same release as two wires
print it (each with its own furniture) and as MENAFN reprints it are the same story.
"""

from __future__ import annotations

from typing import Any

Story = dict[str, Any]

CONDEMNATION = (
    "KUWAIT, March 22 (KUNA) -- The Ministry of Foreign Affairs expressed Saturday the State of "
    "Kuwait's strong condemnation and denunciation of the terrorist attack in {place}, "
    "{region}, which caused the injury and death of a number of innocent civilians.\n\n"
    "In a press statement, the ministry affirmed Kuwait's principled and firm stance, "
    "rejecting all forms of terrorism and its causes, whatever their motives.\n\n"
    "It extended sincere condolences and sympathy to the {people} people and to the families "
    "of the victims, wishing the injured a speedy recovery. (end)"
)
CONDEMNATIONS = [
    {"place": "Kandahar Province", "region": "southern Afghanistan", "people": "Afghan"},
    {"place": "Peshawar", "region": "northwestern Pakistan", "people": "Pakistani"},
    {"place": "Mogadishu", "region": "the capital of Somalia", "people": "Somali"},
    {"place": "Maiduguri", "region": "northeastern Nigeria", "people": "Nigerian"},
]
CONDOLENCE = (
    "KUWAIT, Jan 21 (KUNA) -- His Highness the Amir Sheikh Mishal Al-Ahmad Al-Jaber Al-Sabah "
    "sent on Tuesday a cable of condolences to {leader}, {title}, over the victims of the "
    "{event}, wishing the injured a speedy recovery.\n\n"
    "In the cable, His Highness the Amir expressed his sincere condolences and sympathy to the "
    "families of the victims, praying to Almighty Allah to rest their souls in peace and to "
    "grant their families patience and solace.\n\n"
    "His Highness the Crown Prince Sheikh Sabah Khaled Al-Hamad Al-Sabah and His Highness the "
    "Prime Minister Sheikh Ahmad Abdullah Al-Ahmad Al-Sabah sent similar cables. (end)"
)
CONDOLENCES = [
    {"leader": "President Abdel Fattah El-Sisi", "title": "President of Egypt",
     "event": "train collision in Qalyubia Governorate"},
    {"leader": "President Recep Tayyip Erdogan", "title": "President of Turkiye",
     "event": "fire at a ski resort hotel in Bolu Province"},
    {"leader": "King Mohammed VI", "title": "King of Morocco",
     "event": "floods in Safi Province"},
]  # fmt: skip
OIL_STABLE = (
    "KUWAIT, {date} (KUNA) -- The price of Kuwaiti oil was stable at USD 74.12 per barrel "
    "{weekday}, the same as the day before, said Kuwait Petroleum Corporation (KPC) "
    "{next_day}.\n\n"
    "At the global level, the price of Brent crude was down by 12 cents to settle at USD "
    "76.40 per barrel, while the West Texas Intermediate went up by 8 cents to USD 72.95 pb. "
    "(end)"
)
OIL_DAYS = [
    {"date": "June 3", "weekday": "Monday", "next_day": "Tuesday"},
    {"date": "June 4", "weekday": "Tuesday", "next_day": "Wednesday"},
    {"date": "June 5", "weekday": "Wednesday", "next_day": "Thursday"},
]
RESULTS = (
    "Nordic Tidal Power ASA (OSE: NTP) today reported revenue of NOK {revenue} million for the "
    "{quarter} quarter of 2024, up {growth} percent from NOK {before} million a year earlier, as "
    "its turbine arrays in the Lofoten strait ran above plan.\n\n"
    "Operating profit rose to NOK {profit} million from NOK {profit_before} million. The company "
    "kept its guidance of 1.9 terawatt-hours of generation for the full year.\n\n"
    '"Maintenance costs per megawatt-hour fell again this quarter, and the third array is on '
    'schedule," said chief executive Ingrid Solberg.\n\n'
    "Outlook\n\n"
    "Construction of the third array is on schedule for commissioning in the second half of "
    "2025, at a budget of NOK 2.3 billion."
)
QUARTERS = [
    {"dateline": "OSLO, Norway, May 02, 2024", "quarter": "first", "revenue": "412",
     "growth": "18", "before": "349", "profit": "97", "profit_before": "61"},
    {"dateline": "OSLO, Norway, Aug. 08, 2024", "quarter": "second", "revenue": "388",
     "growth": "11", "before": "350", "profit": "84", "profit_before": "66"},
    {"dateline": "OSLO, Norway, Nov. 07, 2024", "quarter": "third", "revenue": "401",
     "growth": "14", "before": "352", "profit": "90", "profit_before": "64"},
]  # fmt: skip
DIVIDEND = (
    "The Board of Directors of {issuer} (Nasdaq: {ticker}) declared a quarterly cash dividend "
    "of $0.12 per share, payable on March 8, 2024 to shareholders of record on February 27, "
    "2024.\n\n"
    "The dividend reflects the Board's confidence in the Company's capital position and the "
    "continued strength of its core earnings, and is consistent with its policy of returning a "
    "portion of earnings to shareholders while supporting the growth of the balance sheet. "
    "Future dividends remain subject to the approval of the Board of Directors and to "
    "regulatory requirements.\n\n"
    "{short} is the holding company for {bank}, a community bank with eleven branches in "
    "central Maryland."
)
DIVIDENDS = [
    {"issuer": "Harbor Lane Bancorp, Inc.", "ticker": "HLBC", "short": "Harbor Lane Bancorp",
     "bank": "Harbor Lane Bank"},
    {"issuer": "Chesapeake First Bancorp, Inc.", "ticker": "CFBK",
     "short": "Chesapeake First Bancorp", "bank": "Chesapeake First Bank"},
    {"issuer": "Severn Valley Financial Corp.", "ticker": "SVFC",
     "short": "Severn Valley Financial", "bank": "Severn Valley Savings Bank"},
]  # fmt: skip
APPOINTMENT = (
    "Meridian Logistics Group (NYSE: MLG) today announced the appointment of {name} as its "
    "{role}, effective March 1, 2025. {name} joins from {previous}, where {pronoun} led the "
    "company's {area} for six years.\n\n"
    '"We are delighted to welcome {first} to the leadership team at a time of strong growth '
    'in our freight and warehousing business," said Daniel Okafor, chief executive officer of '
    "Meridian Logistics Group.\n\n"
    "{name} will be based at the company's headquarters in Atlanta and will report to Mr. "
    "Okafor. The appointment completes the renewal of the executive team that began last year, "
    "as the company expands its network of distribution centers across the southeastern United "
    "States and invests in automation at its largest warehouses."
)
APPOINTMENTS = [
    {"name": "Jane Whitfield", "first": "Jane", "role": "chief financial officer",
     "previous": "Crescent Freight Inc.", "pronoun": "she", "area": "finance organization"},
    {"name": "Samuel Ortega", "first": "Samuel", "role": "chief operating officer",
     "previous": "Bluewater Shipping Co.", "pronoun": "he", "area": "operations"},
    {"name": "Priya Raman", "first": "Priya", "role": "chief technology officer",
     "previous": "Northstar Systems", "pronoun": "she", "area": "technology teams"},
]  # fmt: skip
GNW_FOOTER = (
    "Attachment\n\nNordic Tidal Power {quarter} quarter 2024 report\n\nContact: Investor "
    "Relations, Nordic Tidal Power ASA, +47 22 00 41 00, ir@nordictidal.no"
)
PRN_FOOTER = (
    "SOURCE Nordic Tidal Power ASA\n\nView original content: https://www.prnewswire.com/"
    "news-releases/nordic-tidal-power-reports-first-quarter-2024-results-302132456.html"
)
MENAFN_CODE = "MENAFN02052024004107003653ID1108168754"
FAMILIES: list[tuple[str, str, str, list[dict[str, str]]]] = [
    ("same-day condemnation statements", "agency", CONDEMNATION, CONDEMNATIONS),
    ("same-day condolence cables", "agency", CONDOLENCE, CONDOLENCES),
    ("oil price unchanged, another day", "agency", OIL_STABLE, OIL_DAYS),
    ("quarterly results of one issuer", "globenewswire", RESULTS + "\n\n" + GNW_FOOTER, QUARTERS),
    ("dividends of other issuers, one template", "globenewswire", DIVIDEND, DIVIDENDS),
    ("appointments at one issuer", "prnewswire", APPOINTMENT, APPOINTMENTS),
]


def family_stories(kind: str, site: str, template: str, fills: list[dict[str, str]]) -> list[Story]:
    """One story per fill. An agency's bulletin is MENAFN's copy (dateline ``(MENAFN- ...)``,
    the agency's own dateline in the body); a release has the wire's dateline apart."""
    stories = []
    for n, values in enumerate(fills):
        place_and_date = values.get("dateline", "BALTIMORE, Feb. 14, 2024")
        dateline = {
            "agency": "(MENAFN- Kuwait News Agency (KUNA))",
            "globenewswire": f"{place_and_date} (GLOBE NEWSWIRE) --",
            "prnewswire": "ATLANTA, Feb. 3, 2025 /PRNewswire/ --",
        }[site]
        stories.append({
            "title": f"{kind} {n + 1}",
            "source": "menafn" if site == "agency" else site,
            "dateline": dateline,
            "body": template.format(**values),
            "note": f"{kind}: fill {n + 1} (written after the real template)",
        })  # fmt: skip
    return stories


def wire_copies(release: Story) -> list[tuple[str, Story]]:
    """A GlobeNewswire release as PR Newswire carries it (its own dateline, SOURCE and 'View
    original content' lines instead of GlobeNewswire's attachment list and contact: furniture
    on both sides) and as MENAFN reprints it (the wire's dateline in the body, its code at the
    end)."""
    place_and_date = str(release["dateline"]).replace(" (GLOBE NEWSWIRE) --", "")
    body = str(release["body"])
    own = body[: body.index("\n\nAttachment")]
    prn = {
        "source": "prnewswire",
        "dateline": f"{place_and_date.replace(' 02,', ' 2,')} /PRNewswire/ --",
        "body": f"{own}\n\n{PRN_FOOTER}",
    }
    menafn = {
        "source": "menafn",
        "dateline": "(MENAFN- GlobeNewsWire - Nasdaq)",
        "body": f"{release['dateline']} {body}\n\n{MENAFN_CODE}",
    }
    return [
        ("the same release on GlobeNewswire and PR Newswire, each with its furniture", prn),
        ("MENAFN's reprint of a GlobeNewswire release", menafn),
    ]


# Real statements (golden fixtures) with what tells one day's statements apart rewritten: the
# place, the event and the place, the organisation, the people; each a different story.
REWRITES = {
    "menafn:1108011564": [
        ("terrorist attack in Kandahar Province, southern Afghanistan, which",
         "suicide bombing in Peshawar. It"),
        ("in Kandahar Province, southern Afghanistan, which", "near Kabul. It"),
        ("Afghan people", "Iraqi people"),
    ],
    "menafn:1109657668": [
        ("in the city of Graz, southern Austria", "in the town of Uvalde, Texas"),
        ("at a school in the city of Graz, southern Austria", "at a university in Prague"),
    ],
    "menafn:1108051288": [
        ("World Central Kitchen relief organization", "Doctors Without Borders organization"),
        ("Gaza Strip", "Jenin camp"),
    ],
}  # fmt: skip


def rewritten_statements(originals: dict[str, Story]) -> list[tuple[str, list[Story]]]:
    """``(original id, its rewrites)`` for each real statement in ``REWRITES``."""
    found = []
    for story_id, changes in REWRITES.items():
        story = originals[story_id]
        rewrites = []
        for old, new in changes:
            if old not in story["body"]:
                raise ValueError(f"{story_id} no longer says {old!r}")
            rewrite = {key: value for key, value in story.items() if key != "id"}
            rewrite.update(body=str(story["body"]).replace(old, new),
                           note=f"{story_id} with {old!r} as {new!r}")  # fmt: skip
            rewrites.append(rewrite)
        found.append((story_id, rewrites))
    return found
