"""Signals of our own: sent with ``crawler.signals.send_catch_log(signal, **kwargs)``."""

# A run's books are closed (newscrawl/run/extension.py): its line was appended to runs.jsonl.
# Argument: record (that line, as a dict). Sent with send_catch_log_async: handlers may wait.
run_listed = object()

# A run's article file is published, or it published none (newscrawl/run/extension.py), and its
# books are not closed yet: a handler that fails says so with ``Run.fail`` and the run exits 1,
# with the failure in its runs.jsonl line. Argument: articles (the Path, or None). Sent with
# send_catch_log_async: handlers may wait.
run_published = object()

# A host asked us to wait (Retry-After, or our backoff after an error). Arguments: slot (the
# download slot key, its host), seconds.
host_paused = object()
