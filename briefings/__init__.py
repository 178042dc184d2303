"""briefbot's engine: from news articles to their event structure and short digests."""
