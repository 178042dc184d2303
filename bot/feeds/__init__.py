"""Feed polling: conditional GET, bounded concurrency, per-feed back-off, de-duplication, extraction."""
