"""Scrapy settings for newscrawl: only the values we set, each with the reason."""

from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"  # our `crawl` sets the contract's exit status

# -- newscrawl's own settings (documented in the README) --------------------------------------
NEWSCRAWL_OUTPUT_DIR = "output"  # root of all written files
NEWSCRAWL_STATE: str | None = None  # seen store; unset: <OUTPUT_DIR>/.state/…; "": in memory
NEWSCRAWL_CONTACT = ""  # the operator's e-mail or web page, named in the User-Agent
# NEWSCRAWL_LISTING_PATHS, NEWSCRAWL_FEED_PATHS: each spider sets its site's (newscrawl/sites/).
# NEWSCRAWL_SITEMAPS: each spider sets its site's (none for menafn: its listings are paged back).
NEWSCRAWL_MAX_LISTING_PAGES = 10  # a cron run's cap per listing; reached before known: an alarm
NEWSCRAWL_BACKFILL_MAX_PAGES = 5000  # a backfill's cap per listing or paged sitemap
NEWSCRAWL_DISCOVERY_DEPTH = 2  # 1: stories on listings; 2: also stories linked from those

NEWSCRAWL_RETRY_BACKOFF = 1.0  # seconds before the first retry of a host; doubles per retry
NEWSCRAWL_RETRY_AFTER_MAX = 300  # longest Retry-After we wait out; longer gives the page up
NEWSCRAWL_BLOCKED_STREAK = 10  # this many 403/429/challenge answers in a row end the run
NEWSCRAWL_BLOCKED_RATIO = 0.5  # ...or this share of all answers (from 5 answers on)
NEWSCRAWL_BLOCKED_MIN_RESPONSES = 5
NEWSCRAWL_PRIVATE_HOSTS: list[str] = []  # host:port allowed though non-public (base_url's is)
NEWSCRAWL_OFFLINE_PROCESSES = 0  # processes parsing an offline run's pages; 0: one per core
NEWSCRAWL_ARCHIVE = True  # live runs keep each story answer in <source>/archive/<run>.warc.gz
NEWSCRAWL_TABLE = True  # each run updates <OUTPUT_DIR>/table/ and newscrawl.duckdb (table/)
NEWSCRAWL_PROGRESS = True  # a bar on a terminal, else a log line a minute (progress.py)
NEWSCRAWL_PROGRESS_INTERVAL = 60.0  # seconds between progress log lines (no terminal)
MENAFN_TIMEZONE = "America/New_York"  # MENAFN prints naive US-Eastern stamps (menafn-clock.md)

# Run health and alarms (exit status 3): see newscrawl/run/health.py and the README.
NEWSCRAWL_HEALTH_MIN_PAGES = 20  # fewer story pages: chance moves shares too much for alarms
NEWSCRAWL_HEALTH_RECENT_RUNS = 5  # earlier runs of the same kind that make the baseline
NEWSCRAWL_ALARM_LAYOUT_DROP = 0.5  # site selectors' share of bodies below half the baseline
NEWSCRAWL_ALARM_COVERAGE_DROP = 0.3  # a field's coverage 30 points under the baseline
NEWSCRAWL_ALARM_REJECTED_SHARE = 0.5  # half or more of the story pages rejected

# Distributed mode (newscrawl/distributed/): set the URL and this process is one worker of a
# crawl shared through Redis. Unset: nothing changes, Redis is not even imported.
NEWSCRAWL_REDIS_URL = ""  # redis://[:password@]HOST:PORT/DB
NEWSCRAWL_REDIS_CRAWL = ""  # name the shared crawl; empty: join the running one or start one
NEWSCRAWL_REDIS_LEASE = 30.0  # seconds a silent (killed, stalled) worker keeps its claims
TWISTED_DNS_RESOLVER = "newscrawl.addresses.PublicAddressResolver"  # checks what we connect to
ADDONS = {
    # The run's components in their slots: its extension, pipeline stages, the seen-story
    # filter and the feed exporter (newscrawl/run/addon.py). ITEM_PIPELINES adds to them.
    "newscrawl.run.addon.RunAddon": 0,
    "newscrawl.distributed.RedisAddon": 0,  # sets the scheduler when the URL is set
}
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.middlewares.RobotsRulesMiddleware": 110,  # after retries: 5xx robots.txt defers
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.PoliteRetryMiddleware": 550,  # too long a Retry-After: given up
    "newscrawl.addresses.AddressGuardMiddleware": 555,  # public addresses only; after retries
    "newscrawl.middlewares.BlockDetector": 950,  # sees every raw answer, before retries
    "newscrawl.archive.ArchiveMiddleware": 960,  # story answers as received, before decoding
    "newscrawl.politeness.HostPolitenessMiddleware": 990,  # the host's turn: delay, pauses
}
EXTENSIONS = {
    "newscrawl.progress.Progress": 10,  # where a long run is: a bar, or log lines
    "scrapy.extensions.telnet.TelnetConsole": None,  # no console open on a port
    "scrapy.extensions.remote_control.RemoteControl": None,  # runs code sent to it: never
}

# -- politeness and identity ------------------------------------------------------------------
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # about one request in flight per site
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0  # HostPolitenessMiddleware spaces turns exactly; the slot adds none
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a story page is ~100 KB; bigger is not a story
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 3
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # our errbacks log one WARNING line per page given up
COOKIES_ENABLED = False  # we are not a user; no sessions
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # never run code sent to us

# -- speed -------------------------------------------------------------------------------------
CONCURRENT_ITEMS = 16  # the default 100 costs real time per response for a few items
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # duplicates are normal; rejects log their own line
FEED_EXPORT_ENCODING = "utf-8"  # -o files: non-ASCII as is, like our own JSON lines
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)  # -o files: the schema keys in order, nothing internal
FEED_EXPORTERS = {"parquet": "newscrawl.table.feed.ParquetItemExporter"}  # -o x.parquet, typed
LOG_LEVEL = "INFO"
