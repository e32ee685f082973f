"""newscrawl: a Scrapy crawler for wire-service news sites that writes each story once."""

__version__ = "0.3.0"
