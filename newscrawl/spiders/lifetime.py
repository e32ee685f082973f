"""Worker processes end with the process that started them: an offline run's page readers
(``offline.py``) must not outlive a crawler killed with SIGKILL.

Nothing else stops them then. A worker of a ``ProcessPoolExecutor`` waits for tasks for ever (it
holds both ends of its task queue, so no EOF comes), keeping the fork server alive with it (the
server ends once no process holds its "alive" pipe, which every worker does) and the job's
stdout and stderr open: a cron job, or a ``| cat``, never ends. PR_SET_PDEATHSIG cannot help: a
worker's parent is the fork server, not the crawler. So each worker watches the crawler itself:
Linux says when a process exits (a pidfd, 5.3 on); elsewhere a thread looks every
``WATCH_INTERVAL``.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time

WATCH_INTERVAL = 1.0  # seconds between a worker's looks at its crawler, where Linux cannot say


def end_with(pid: int) -> None:
    """End this process (SIGKILL: at once, whatever its main thread waits for) once process
    ``pid`` has ended, however it ends; the watch is a daemon thread: this returns at once."""
    threading.Thread(target=_exit_after, args=(pid,), name="crawler watch", daemon=True).start()


def _exit_after(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd here, or the process is gone already
        while alive(pid):
            time.sleep(WATCH_INTERVAL)
    else:
        select.select([handle], [], [])  # readable once the process has exited
    os.kill(os.getpid(), signal.SIGKILL)  # a worker keeps nothing to save


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (and is this user's: another user's is a reused pid).

    >>> alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
