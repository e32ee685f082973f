"""What every page shares: JSON-LD, meta, the generic extractor, paragraphs, stamps, plausibility,
decoding and text; a response or saved text in, an Article out (pages never request or yield)."""
