"""newscrawl: a Scrapy crawler for wire-service news sites that writes each story once."""
