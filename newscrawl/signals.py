"""Signals of our own: sent with ``crawler.signals.send_catch_log(signal, **kwargs)``."""

# A page or item could not become a valid article. Arguments: url, reason, detail, fields.
page_rejected = object()
