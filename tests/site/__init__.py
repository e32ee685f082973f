"""The local test sites (MENAFN, GlobeNewswire, PR Newswire) used by end-to-end tests,
benchmarks and curious users.

Run one with `python -m tests.site [--site prnewswire] --port 8000 --stories 200`.
"""

from .faults import Fault
from .menafn import MenafnSite
from .releases import Release, synthetic_releases
from .server import LocalSite, RequestRecord
from .stories import Story, load_fixture_stories, synthetic_stories
from .wires import WireSite

__all__ = [
    "Fault",
    "LocalSite",
    "MenafnSite",
    "Release",
    "RequestRecord",
    "Story",
    "WireSite",
    "load_fixture_stories",
    "synthetic_releases",
    "synthetic_stories",
]
