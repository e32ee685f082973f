"""Signals of our own: sent with ``crawler.signals.send_catch_log(signal, **kwargs)``."""

# A page or item could not become a valid article. Arguments: url, reason, detail, fields.
page_rejected = object()

# A run's line was appended to runs.jsonl. Arguments: record (that line, as a dict).
run_listed = object()

# A host asked us to wait (Retry-After, or our backoff after an error). Arguments: slot (the
# download slot key, its host), seconds.
host_paused = object()
