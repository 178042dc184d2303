"""Reading articles from files, pages, feeds and URLs.

- `sources`: what a user names (files, folders, URLs, `-`) to raw articles, or one error per bad source.
- `formats` (text, HTML, JSON) and `feeds` (RSS/Atom): the readers of each kind of file.
- `fetch` and `netpolicy`: HTTP within limits, connecting only to vetted addresses; `urls` and
  `poll_feed` for pages and feeds by URL (conditional GET for pollers).
- `checks`, `language`, `dates`: what an article must be to be analysed, and publication times.
- `cleaning` and `articles`: the text the pipeline reads, with a map back to the source's offsets.
"""
