"""A second check of "who", "where" and "when", from the ECB+ dev documents' annotations (a developer's tool).

Giveme5W1H dev holds 48 articles, too few to tell a principle from a fit. ECB+ annotates, in each document,
the participants, locations and times of its events and joins the mentions of one of them across documents.
The location of a story's seminal event is taken as the ones named in most of its documents (in at least
two and a quarter of them), and so are its participants and its time; each document that names one is
asked for its main event's where (or who, or when: `briefbot analyze`, one article at a time), which counts
as right when it shares at least half of its content words with one of the document's mentions of it, as
`score.py who` counts.

    python scripts/ecb_w_check.py ../shared/eval --fold 1 [--field who|when] [-v] [--dump answers.json]

The gold is loose: ECB+ also marks rooms and body parts ("in the head") as locations, its documents carry
no dates (a when is read as the text writes it: "Tuesday"), and a document's main event is not always the
seminal one. Read it for what changes between two versions, beside `score.py who`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from types import SimpleNamespace


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", help="the shared eval folder (score.py and data/ecbplus-dev.jsonl)")
    parser.add_argument("--fold", type=int, choices=[1, 2], default=0)
    parser.add_argument("--field", choices=["who", "where", "when"], default="where")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    parser.add_argument("--dump", help="write each document's answer, whether it hit, and its gold")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--briefbot", default=f"env PYTHONPATH={root} {sys.executable} -m bot.cli")
    args = parser.parse_args()
    sys.path.insert(0, args.eval_dir)
    import score  # type: ignore[import-not-found]  # the shared scorer: its folds, detokeniser and matching

    path = os.path.join(args.eval_dir, "data", "ecbplus-dev.jsonl")
    with open(path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    rows = score.pick(rows, lambda r: r["topic"], SimpleNamespace(fold=args.fold, limit=0))
    kind = {"who": "HUMAN_PART", "where": "LOC", "when": "TIME"}[args.field]
    by_story: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_story[row["story_id"]].append(row)
    gold: dict[str, list[str]] = {}
    for members in by_story.values():
        named_in: Counter[str] = Counter()
        for row in members:
            named_in.update(
                {m["xdoc"] for m in row["mentions"] if m["type"].startswith(kind) and m.get("xdoc")}
            )
        seminal = {x for x, n in named_in.items() if n >= max(2, 0.25 * len(members))}
        for row in members:
            texts = {
                " ".join(row["sentences"][m["sent"]].split(" ")[t] for t in m["tok"])
                for m in row["mentions"]
                if m.get("xdoc") in seminal
            }
            if texts:
                gold[row["doc_id"]] = sorted(texts)
    docs = [
        {"id": r["doc_id"], "title": None, "text": score.detok(r["sentences"]), "published": None}
        for r in rows
        if r["doc_id"] in gold
    ]
    analysis, by_id = score.analyze(args.briefbot, docs)
    hits = 0
    answers = {}
    for doc in docs:
        story = score.story_of(analysis, by_id.get(doc["id"])) or {}
        answer = (story.get("w") or {}).get(args.field) or ""
        ours = score.content(answer)
        hit = any(
            ours and len(ours & score.content(g)) / max(1, min(len(ours), len(score.content(g)))) >= 0.5
            for g in gold[doc["id"]]
        )
        hits += hit
        answers[doc["id"]] = [answer, hit, gold[doc["id"]]]
        if args.verbose and not hit:
            print(doc["id"], repr(answer), gold[doc["id"]])
    print(f"ecb: fold={args.fold} docs={len(docs)} hits={hits} {args.field}={hits / max(1, len(docs)):.3f}")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            json.dump(answers, out, indent=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
