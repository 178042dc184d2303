"""Reading articles from files, pages, feeds and URLs."""
