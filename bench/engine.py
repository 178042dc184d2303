"""The engine's whole pipeline against the bare spaCy pipeline on the same articles.

    python -m bench.engine [--articles 1000] [--repeat 2]

Prints articles per second for both, their ratio (target: at most 1.25) and the process's peak memory
(target: under 600 MB for 1,000 articles); the last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from datetime import datetime

from bench.corpus import news_texts
from briefings.extract.pipeline import analyze_articles
from briefings.ingest.articles import to_article
from briefings.ingest.raw import RawArticle
from briefings.nlp import DEFAULT_BATCH_SIZE, load_pipeline
from briefings.stories.merge import build_stories


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    args = parser.parse_args()

    texts, origin = news_texts(args.articles)
    published = datetime(2024, 5, 8, 9, 0)
    nlp = load_pipeline()
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles ({origin}), {words / len(texts):.0f} words on average")
    list(nlp.pipe(texts[:20]))  # warm up

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=DEFAULT_BATCH_SIZE):
            pass

    stories = 0

    def engine() -> None:
        nonlocal stories
        articles = (
            to_article(RawArticle(source=f"bench{i}", text=t, published=published), f"a{i + 1}")
            for i, t in enumerate(texts)
        )
        analyses = list(analyze_articles(nlp, articles))
        stories = len(build_stories(analyses))

    best: dict[str, float] = {"bare": float("inf"), "engine": float("inf")}
    for _ in range(args.repeat):
        for name, run in (("bare", bare), ("engine", engine)):
            gc.collect()
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)

    figures = {
        "articles": len(texts),
        "bare_articles_per_s": round(len(texts) / best["bare"], 2),
        "articles_per_s": round(len(texts) / best["engine"], 2),
        "ratio_vs_spacy": round(best["engine"] / best["bare"], 3),
        "stories": stories,
        "peak_rss_mb": round(_peak_mb(), 1),
    }
    print(f"bare spaCy nlp.pipe : {figures['bare_articles_per_s']:8.2f} articles/s")
    print(f"whole engine        : {figures['articles_per_s']:8.2f} articles/s  ({stories} stories)")
    print(f"ratio engine/spaCy  : {figures['ratio_vs_spacy']:8.3f}   (target <= 1.25)")
    print(f"peak memory (RSS)   : {figures['peak_rss_mb']:8.1f} MB (target < 600 MB for 1,000 articles)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
