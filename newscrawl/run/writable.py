"""Files a crawl writes outside its output folder, checked before it starts: the log file
(``--logfile``, ``LOG_FILE``) and local ``-o``/``-O`` feeds (``FEEDS``).

Scrapy opens the log file while it sets up logging, a traceback when it cannot; a feed it
cannot open is a logged error and a run that exits 0 without it (FRESH-USER-2 G2, G3: a
folder in the file's place, a read-only mount, another user's file). Checked here, each is
one ``could not start`` line and exit status 1, before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath
from urllib.parse import urlsplit

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object


def unwritable(path: Path) -> str | None:
    """Why a file cannot be written at ``path`` (None if it can): a folder in its place, or
    no write permission on it or, for a new file, on its nearest existing folder (a
    read-only file system counts as no permission, ``access(2)``).

    >>> unwritable(Path("/")), unwritable(Path("/dev/null/feed.jsonl"))
    ('/ is a folder', '/dev/null is not a folder')
    """
    try:
        if path.is_dir():
            return f"{path} is a folder"
        if path.exists():
            return None if os.access(path, os.W_OK) else f"permission denied: {path}"
    except OSError as exc:  # a folder on the way this user may not look into
        return f"{path}: {exc.strerror or exc}"
    if why := not_a_folder(path.parent):
        return why
    folder = nearest_existing(path.parent)
    return None if os.access(folder, os.W_OK | os.X_OK) else f"permission denied: {folder}"


def nearest_existing(path: Path) -> Path:
    """``path``, or its nearest ancestor that exists (a file on the way stops the walk, and
    so does a folder this user may not look into: Python 3.11's ``exists`` raises there)."""
    while path != path.parent:
        try:
            if path.exists():
                break
        except OSError:
            break
        path = path.parent
    return path


def not_a_folder(path: Path) -> str | None:
    """Why no folder can be at ``path``: a file in its place or on its way (None: one is, or
    can be made there; permissions are the run's to find, as it makes its files).

    >>> not_a_folder(Path("/dev/null/output")), not_a_folder(Path("/tmp/no/such/output"))
    ('/dev/null is not a folder', None)
    """
    found = nearest_existing(path)
    try:
        return None if found.is_dir() else f"{found} is not a folder"
    except OSError:  # not ours to look into: the run says what it meets there
        return None


def feed_path(uri: str, settings: BaseSettings) -> Path | None:
    """The local path of a feed URI, as Scrapy's feed exporter finds it: the storage of the
    URI's scheme in ``FEED_STORAGES`` (a Windows drive letter: ``file``) is a
    ``FileFeedStorage``, whose ``path`` it is (its ``%(name)s`` placeholders stay:
    ``unwritable`` then looks at the nearest folder that exists); None for a feed stored
    elsewhere (S3, FTP, stdout, a storage of the user's own).

    >>> from scrapy.settings import Settings
    >>> scrapy = Settings()
    >>> feed_path("out/feed.jsonl", scrapy), feed_path("file:///tmp/%(name)s/a.json", scrapy)
    (PosixPath('out/feed.jsonl'), PosixPath('/tmp/%(name)s/a.json'))
    >>> feed_path("s3://bucket/x.json", scrapy), feed_path("stdout:", scrapy)
    (None, None)
    """
    storages = settings.getwithbase("FEED_STORAGES")
    scheme = urlsplit(uri).scheme
    storage = storages.get(scheme) or (storages.get("file") if PureWindowsPath(uri).drive else None)
    if storage is None or load_object(storage) is not FileFeedStorage:
        return None
    return Path(FileFeedStorage(uri).path)


def unwritable_files(settings: BaseSettings) -> str | None:
    """The first file of the log and local feeds that cannot be written, and why; None if
    every one can. The log file's folders are made (Scrapy's logging opens the file and
    makes none: ``--logfile logs/menafn.log`` in a new folder was a traceback), as Scrapy's
    file feed storage makes a feed's."""
    log_file = settings.get("LOG_FILE")
    paths = [Path(log_file)] if log_file else []
    if log_file:
        if why := not_a_folder(Path(log_file).parent):
            return f"{log_file}: {why}"
        try:
            Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"{log_file}: {exc.strerror or exc}"
    paths += [
        p for uri in settings.getdict("FEEDS") if (p := feed_path(str(uri), settings)) is not None
    ]
    for path in paths:
        why = unwritable(path)
        if why is not None:
            return why
    return None
