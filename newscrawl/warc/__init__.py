"""Reading WARC files (ISO 28500), whoever wrote them: newscrawl's own archives (written by
``newscrawl/archive.py``), wget's, Heritrix's, pywb's, warcio's, Common Crawl's, on disk or
streamed over HTTP(S).

``records.py`` the reader (a file's story answers as Scrapy responses), ``members.py`` gzip
members and the way past a damaged one, ``answers.py`` one HTTP answer (de-chunked, digests,
decoding), ``payload.py`` the standard's payload and digest rules, ``scope.py`` which records
are the spider's, ``sources.py`` where the files come from, ``remote.py`` HTTP streaming,
``ccnews.py`` Common Crawl's news archive listings.
"""
