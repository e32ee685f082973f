"""Day-by-day series of templated bulletins for the story-cluster evaluation set
(``bench.cluster_set``), made from the real ones: the JMD weather report, KUNA's oil price, a
gold price bulletin, quarterly dividends of one bank, releases of one issuer sharing its About
section. Two days of a series are different stories.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def weather_day(text: str, day: int, rng: random.Random, same_forecast: bool) -> str:
    """The JMD bulletin of another day: date and weekday; new temperatures unless the forecast
    happens to be the same."""
    text = text.replace("May 9", f"May {9 + day}").replace("Friday", WEEKDAYS[(4 + day) % 7])
    if same_forecast:
        return text
    date = f"May {9 + day}"

    def shift(match: re.Match[str]) -> str:
        return str(int(match.group(1)) + rng.choice([-3, -2, -1, 1, 2]))

    return re.sub(r"\b(\d{2})\b", shift, text.replace(date, "MAYDATE")).replace("MAYDATE", date)


def oil_day(day: int, rng: random.Random) -> str:
    price = 52.62 + rng.uniform(-3, 3)
    move = rng.randint(5, 90)
    way = rng.choice(["down", "up"])
    before = price + move / 100 if way == "down" else price - move / 100
    brent = 55.85 + rng.uniform(-3, 3)
    return (
        f"KUWAIT, March {1 + day} (KUNA) -- The price of Kuwaiti oil was {way} by {move} cents to "
        f"USD {price:.2f} per barrel {WEEKDAYS[(1 + day) % 7]} after being at USD {before:.2f} "
        "pb the day before, said Kuwait Petroleum Corporation (KPC).\n\n"
        f"The Brent crude price for May delivery was {way} by {rng.randint(5, 90)} cents to settle "
        f"at USD {brent:.2f} per barrel, the same case with the contracts for the West Texas "
        f"Intermediate for April delivery, which went {way} by {rng.randint(5, 90)} cents to "
        f"USD {brent - 2.4:.2f} pb. (end)"
    )


def gold_day(day: int, rng: random.Random) -> str:
    g24 = 25.850 + rng.uniform(-0.4, 0.4)
    ounce = 2650 + rng.uniform(-40, 40)
    return (
        f"KUWAIT, Oct {3 + day} (KUNA) -- The price of 24-carat gold stood at KD {g24:.3f} per "
        f"gram on {WEEKDAYS[(3 + day) % 7]}, while 22-carat gold was KD {g24 * 0.917:.3f}, Dar "
        "Al-Sabaek company for gold said in its daily report.\n\n"
        f"Globally, the ounce of gold traded at USD {ounce:.2f}, and the price of one ounce of "
        f"silver was USD {31 + rng.uniform(-1, 1):.2f}, the company said, adding that demand "
        "in the local market was steady. (end)"
    )


def dividend_quarter(quarter: int, rng: random.Random) -> str:
    months = [
        ("Feb.", "March 8", "February 27"),
        ("May", "June 7", "May 28"),
        ("Aug.", "September 6", "August 27"),
        ("Nov.", "December 8", "November 27"),
    ]
    month, paid, record = months[quarter % 4]
    cents = rng.choice(["0.11", "0.12", "0.13", "0.14"])
    return (
        f"BALTIMORE, {month} {rng.randint(10, 16)}, 2023 (GLOBE NEWSWIRE) -- The Board of "
        "Directors of Harbor Lane Bancorp, Inc. (Nasdaq: HLBC) declared a quarterly cash "
        f"dividend of ${cents} per share, payable on {paid}, 2023 to shareholders of record on "
        f"{record}, 2023."
        "\n\nHarbor Lane Bancorp is the holding company for Harbor Lane Bank, a community bank "
        "with eleven branches in central Maryland."
    )


ABOUT_HACKERRANK = (
    "About HackerRank\n\nHackerRank is a platform that ranks engineers based solely on their "
    "coding skills and helps companies discover talent and save time to hire. We're driving a "
    "new paradigm shift by eliminating resumes and creating opportunities for hundreds of "
    "thousands of programmers worldwide. Over 1,000 companies use HackerRank to build strong "
    "engineering teams.\n\nMEDIA CONTACT: Katie Sullivan, Bateman Group"
)
SAME_ISSUER_LEADS = [
    "HackerRank, a platform that ranks engineers based on their coding skills, today launched "
    "a library of interview questions for data engineers, written with hiring managers at "
    "large retailers and banks.",
    "HackerRank, a platform that ranks engineers based on their coding skills, today named a "
    "new chief technology officer, who joins from a cloud software company and will lead the "
    "engineering teams in Palo Alto and Bangalore.",
    "HackerRank, a platform that ranks engineers based on their coding skills, today opened "
    "registration for its annual coding contest for university students, with prizes for the "
    "winning teams.",
]


def same_issuer_releases() -> list[str]:
    """Short releases of one issuer sharing its About section and contact line."""
    return [
        f"PALO ALTO, Calif. /PRNewswire/ -- {lead}\n\n{ABOUT_HACKERRANK}"
        for lead in SAME_ISSUER_LEADS
    ]


def series(rng: random.Random, weather: str) -> Iterator[tuple[str, list[str]]]:
    """Templated bulletins: the same text day after day with that day's figures."""
    yield "weather bulletin", [weather_day(weather, d, rng, same_forecast=False) for d in range(6)]
    yield (
        "weather bulletin, same forecast",
        [weather_day(weather, d, rng, same_forecast=True) for d in range(3)],
    )
    yield "oil price bulletin", [oil_day(d, rng) for d in range(6)]
    yield "gold price bulletin", [gold_day(d, rng) for d in range(6)]
    yield "quarterly dividend release", [dividend_quarter(q, rng) for q in range(4)]
    yield "same issuer, other release", same_issuer_releases()
