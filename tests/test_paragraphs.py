"""newscrawl.extraction.paragraphs: re-splitting story text into paragraphs without losing words."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extraction.paragraphs import (
    drop_repeats,
    join_broken_lines,
    paragraphs_from_text,
    split_glued,
)

SEED = (
    Path(__file__).parent
    / "fixtures"
    / "menafn"
    / "seed-1109793603"
    / "1109793603-Lavrov-North-Korean-Leader-Discuss-Bilateral-Issues-in-Wonsan.txt"
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["Prime Minister", "Jaafar Hassan said in", "that the Council met.", "In addition."],
            ["Prime Minister Jaafar Hassan said in that the Council met.", "In addition."],
        ),
        (  # a sentence broken before a lowercase word
            ["The minister said the talks were", "substantive and useful.", "Kim agreed."],
            ["The minister said the talks were substantive and useful.", "Kim agreed."],
        ),
        (  # agency dateline and list items stay apart
            ["KUWAIT, July 19 (KUNA) --", "1954 -- A decree.", "1993 -- Businessman died."],
            ["KUWAIT, July 19 (KUNA) --", "1954 -- A decree.", "1993 -- Businessman died."],
        ),
        (  # list items without a full stop, next line not lowercase: kept apart
            ["2018 -- Former dean passed away at 76", "2019 -- A new law came"],
            ["2018 -- Former dean passed away at 76", "2019 -- A new law came"],
        ),
        (  # a short fragment is joined even before a capital
            ["Oil prices", "Rose today."],
            ["Oil prices Rose today."],
        ),
        (  # a long line without an end, next capitalised: a new paragraph
            ["The ministry shared photos of the two leaders", "Wonsan is a coastal city."],
            ["The ministry shared photos of the two leaders", "Wonsan is a coastal city."],
        ),
        ([], []),
        (["One."], ["One."]),
    ],
)
def test_join_broken_lines(lines: list[str], expected: list[str]) -> None:
    assert join_broken_lines(lines) == expected


@pytest.mark.parametrize(
    "end",
    [
        "Said:",
        "Ended;",
        "Asked?",
        "Wow!",
        "Done.",
        "Quote\u201d",
        "Quote'",
        "(KUNA)",
        "[1]",
        "Dash --",
        "Dash \u2014",
        "Dash \u2013",
    ],
)
def test_a_sentence_end_keeps_the_line_break(end: str) -> None:
    assert join_broken_lines([end, "lowercase words follow here."]) == [
        end,
        "lowercase words follow here.",
    ]


@pytest.mark.parametrize(
    ("end"),
    ["Said", "Quote,", "Dash -"],
)
def test_no_sentence_end_joins_a_lowercase_line(end: str) -> None:
    assert join_broken_lines([end, "lowercase words follow here."]) == [
        f"{end} lowercase words follow here."
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "said in its daily update.The weather will be hot.",
            ["said in its daily update.", "The weather will be hot."],
        ),
        ("he left!Then he came back.", ["he left!", "Then he came back."]),
        ("why?Because it rained.", ["why?", "Because it rained."]),
        ("one.Two.Three is here", ["one.", "Two.", "Three is here"]),
        ("the U.S.Army said.", ["the U.S.Army said."]),
        ("Mr.Smith paid.", ["Mr.Smith paid."]),
        ("USD 3.5 million", ["USD 3.5 million"]),
        ("visit menafn.com today", ["visit menafn.com today"]),
        ("rose by 0.9 pct.KUNA", ["rose by 0.9 pct.KUNA"]),  # an acronym is not a sentence
        ("said.\u201cThe quote", ["said.\u201cThe quote"]),
        ("said. The next sentence.", ["said. The next sentence."]),
        ("", [""]),
    ],
)
def test_split_glued(paragraph: str, expected: list[str]) -> None:
    assert split_glued(paragraph) == expected


def test_paragraphs_from_text_keeps_the_sample_paragraphs() -> None:
    text = SEED.read_text(encoding="utf-8")
    story = text[text.index("(MENAFN)") :].strip()
    blocks = [block.strip() for block in story.split("\n\n")]
    assert len(blocks) == 10
    assert paragraphs_from_text(story) == blocks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # single-newline list items stay separate
            "KUWAIT, Sept 5 (KUNA) --\n1993 -- Businessman Al-Kharafi passed away age 74.\n"
            "1997 -- The Library of Congress chose Kuwait.\n2018 -- A dean passed at age 76. (end)",
            [
                "KUWAIT, Sept 5 (KUNA) --",
                "1993 -- Businessman Al-Kharafi passed away age 74.",
                "1997 -- The Library of Congress chose Kuwait.",
                "2018 -- A dean passed at age 76. (end)",
            ],
        ),
        (
            "The minister said the talks were\nsubstantive and useful.\n\nKim agreed.",
            ["The minister said the talks were substantive and useful.", "Kim agreed."],
        ),
        ("First.\n\n\n\nSecond.", ["First.", "Second."]),  # 3 blank lines = one break
        ("First.\n  \n\t\n \nSecond.", ["First.", "Second."]),  # blank lines with spaces
        ("First.\nSecond.", ["First.", "Second."]),  # a line break ends a sentence
        ("  Spaced    out  words.  ", ["Spaced out words."]),
        (
            "One line\nwrapped here.\n\n\nSaid two.Three is glued.",
            ["One line wrapped here.", "Said two.", "Three is glued."],
        ),
        (
            "in its daily update.The U.S.Army and Mr.Smith paid 3.5 on menafn.com.",
            ["in its daily update.", "The U.S.Army and Mr.Smith paid 3.5 on menafn.com."],
        ),
        ("", []),
        ("\n\n  \n", []),
    ],
)
def test_paragraphs_from_text(text: str, expected: list[str]) -> None:
    assert paragraphs_from_text(text) == expected


def test_paragraphs_from_text_never_loses_words() -> None:
    text = "Prime Minister\nJaafar Hassan said in\nthat it met.\n\n1993 -- A.\nupdate.The end"
    paragraphs = paragraphs_from_text(text)
    assert len(paragraphs) == 4
    assert "".join("".join(paragraphs).split()) == "".join(text.split())


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ["Lead.", "KUWAIT -- Text.", "Lead.", "Lead.", "End."],
            ["KUWAIT -- Text.", "Lead.", "End."],
        ),
        (["Lead.", "Text.", "Lead."], ["Text.", "Lead."]),  # the later copy of a lead is kept
        (["A.", "A.", "A."], ["A."]),
        (["A.", "B.", "A."], ["B.", "A."]),
        (["A.", "B.", "B.", "C."], ["A.", "B.", "C."]),
        (["A.", "B.", "C.", "B."], ["A.", "B.", "C."]),  # repeated further down (C2)
        (["A.", "B.", "C.", "D.", "B.", "C.", "E."], ["A.", "B.", "C.", "D.", "E."]),
        (["A."], ["A."]),
        ([], []),
    ],
)
def test_drop_repeats(paragraphs: list[str], expected: list[str]) -> None:
    assert drop_repeats(paragraphs) == expected
