"""Articles for benchmarks: the public CNN/DM dev articles when ../shared is beside the checkout, else the
repository's own original test articles, repeated to the size asked for."""

from __future__ import annotations

import json
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SHARED_NEWS = ROOT.parent / "shared" / "eval" / "data" / "cnndm-dev.jsonl"


def _own_articles() -> list[str]:
    texts = []
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "articles", ROOT / "bot" / "demo"):
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.suffix == ".txt":
                texts.append(path.read_text(encoding="utf-8"))
            elif path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
                for item in data if isinstance(data, list) else [data]:
                    if isinstance(item, dict) and isinstance(item.get("text"), str):
                        texts.append(item["text"])
    return [t for t in texts if len(t.split()) >= 40]


def news_texts(count: int) -> tuple[list[str], str]:
    """`count` article texts and a word saying where they came from."""
    if _SHARED_NEWS.exists():
        texts = [
            json.loads(line)["article"]
            for line in _SHARED_NEWS.read_text(encoding="utf-8").splitlines()
            if line
        ]
        origin = "cnndm-dev"
    else:
        texts, origin = _own_articles(), "repository test articles"
    if not texts:
        raise SystemExit(
            "no articles to benchmark with: neither ../shared/eval/data nor tests/fixtures has any"
        )
    return list(islice(cycle(texts), count)), origin
