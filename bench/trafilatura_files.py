"""`python -m bench.trafilatura_files DIR OUT`: trafilatura over every saved page, JSON lines out.

The peer of `scrapy crawl menafn -a source=DIR`: read each file, extract with metadata, write
one JSON line per page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import trafilatura


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    with out.open("w", encoding="utf-8") as lines:
        for path in sorted(folder.glob("*.htm*")):
            html = path.read_text(encoding="utf-8")
            record = trafilatura.extract(html, output_format="json", with_metadata=True)
            lines.write((record or json.dumps({"file": path.name})).replace("\n", " ") + "\n")


if __name__ == "__main__":
    main()
