"""The local MENAFN-like web site used by end-to-end tests, benchmarks and curious users.

Run it with `python -m tests.site --port 8000 --stories 200 [--fixtures]`.
"""

from .faults import Fault
from .server import MenafnSite, RequestRecord
from .stories import Story, load_fixture_stories, synthetic_stories

__all__ = [
    "Fault",
    "MenafnSite",
    "RequestRecord",
    "Story",
    "load_fixture_stories",
    "synthetic_stories",
]
