"""`python -S -I bench/launch.py OUT -- CMD...`: run CMD, write its wall, CPU and peak RSS to OUT.

A small launcher, because a child's peak RSS (``ru_maxrss``) starts at the RSS of the process
that forked it: Linux keeps the larger of the old and new image at exec. Spawned from this
tiny process, the floor is a few MB instead of the benchmark's own ~90 MB. Standard library
only, and started with ``-S -I``, so it stays small.
"""

import json
import os
import sys
import time


def main() -> None:
    out, command = sys.argv[1], sys.argv[3:]
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, dict(os.environ))
    _, status, usage = os.wait4(pid, 0)
    record = {
        "status": os.waitstatus_to_exitcode(status),
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
    with open(out, "w") as handle:  # noqa: PTH123 - no pathlib import in this tiny process
        json.dump(record, handle)
    sys.exit(0)


if __name__ == "__main__":
    main()
