"""The story index at scale: the cost of placing one article as the collection grows.

    python -m bench.stories [--articles 10000] [--extra 1000] [--per-day 120] [--seed 7]
    python -m bench.stories --service [--days 90] [--per-day 2000] [--feeds 20]   (see bench.stories_service)

Articles are generated as already-analysed `ArticleAnalysis` objects (actors, places, dates, event types
and text from templates: a few thousand events, some actors shared by many of them), so the figures
measure clustering, not spaCy. Prints the time per article at 1k, 5k and 10k articles in the index (it must
not grow with the store), the rate of adding `--extra` articles to an index that already holds
`--articles`, the peak memory and the size of the index's state; the last line is one JSON object of the
figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from briefings.models import Actor, Article, ArticleAnalysis, Event, Mention, Place, TimeExpression
from briefings.stories.index import StoryIndex

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "vi",
    "da",
    "pe",
    "ri",
    "go",
    "ba",
    "lu",
    "ze",
    "ha",
    "fo",
    "ni",
    "mo",
    "ta",
]
_COMMON = [
    "government",
    "officials",
    "said",
    "the",
    "report",
    "on",
    "week",
    "after",
    "people",
    "city",
    "country",
    "new",
    "police",
    "minister",
    "president",
    "local",
    "forces",
    "support",
    "plan",
    "spokesman",
    "statement",
    "expected",
    "group",
    "two",
    "three",
    "first",
    "last",
    "year",
    "month",
    "public",
    "workers",
    "including",
    "told",
    "during",
    "national",
    "region",
]
_EVENT_TYPES = [
    "attack",
    "strike",
    "protest",
    "vote",
    "arrest",
    "crash",
    "explode",
    "resign",
    "meet",
    "agree",
    "win",
    "rescue",
    "kill",
    "injure",
    "ban",
]
_VERBS = ["announced", "confirmed", "denied", "reported", "warned", "promised", "rejected", "demanded"]
START = datetime(2024, 1, 1, 6, 0)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


def _name(rng: random.Random) -> str:
    return f"{_word(rng, 2).title()} {_word(rng, 3).title()}"


@dataclass
class _Event:
    """One synthetic news event: who, where, what kind, its own words and its day."""

    number: int
    day: datetime
    kind: str
    people: list[str]
    places: list[str]
    keywords: list[str]
    articles: int
    published: list[datetime] = field(default_factory=list)


@dataclass
class _World:
    """Pools of names and words shared by all events, some of them (famous people, capitals) very common."""

    rng: random.Random
    famous: list[str]
    people: list[str]
    capitals: list[str]
    towns: list[str]
    vocabulary: list[str]

    @classmethod
    def make(cls, seed: int) -> _World:
        rng = random.Random(seed)
        return cls(
            rng=rng,
            famous=[_name(rng) for _ in range(30)],
            people=[_name(rng) for _ in range(6000)],
            capitals=[_word(rng, 3).title() for _ in range(40)],
            towns=[_word(rng, 3).title() for _ in range(4000)],
            vocabulary=[_word(rng, 4) for _ in range(30000)],
        )

    def event(self, number: int, day: datetime) -> _Event:
        rng = self.rng
        people = rng.sample(self.people, 2)
        if rng.random() < 0.4:
            people.append(rng.choice(self.famous))
        return _Event(
            number=number,
            day=day,
            kind=rng.choice(_EVENT_TYPES),
            people=people,
            places=[rng.choice(self.towns), rng.choice(self.capitals)],
            keywords=rng.sample(self.vocabulary, 6),
            articles=min(12, 1 + int(rng.expovariate(1 / 2.5))),
        )


def _mentions(name: str, count: int) -> list[Mention]:
    return [Mention(text=name, start=0, end=len(name), sentence=i) for i in range(count)]


def _article(world: _World, event: _Event, serial: int, published: datetime) -> ArticleAnalysis:
    rng = world.rng
    lead_person, second = event.people[0], event.people[-1]
    town, capital = event.places
    words = rng.sample(event.keywords, 4)
    sentences = [
        f"{lead_person} {rng.choice(_VERBS)} the {words[0]} {event.kind} in {town} on {event.day:%A}.",
        f"The {words[1]} near {town} left {rng.choice(_COMMON)} {words[2]}, {second} said in {capital}.",
    ]
    for _ in range(6):
        filler = " ".join(rng.choice(_COMMON) for _ in range(9))
        sentences.append(
            f"{filler.capitalize()} {rng.choice(event.keywords)} {rng.choice(world.vocabulary)}."
        )
    text = " ".join(sentences)
    day_value = event.day.date().isoformat()
    return ArticleAnalysis(
        article=Article(
            id=f"b{serial}",
            source=f"bench/{serial}",
            text=text,
            title=f"{lead_person} {event.kind} {words[0]} {town}".title(),
            published=published,
        ),
        actors=[
            Actor(name=lead_person, kind="person", mentions=_mentions(lead_person, 2)),
            Actor(name=second, kind="person", mentions=_mentions(second, 1)),
        ]
        + [Actor(name=p, kind="person", mentions=_mentions(p, 1)) for p in event.people[1:-1]],
        places=[
            Place(name=town, mentions=_mentions(town, 2)),
            Place(name=capital, mentions=_mentions(capital, 1)),
        ],
        times=[
            TimeExpression(text=f"{event.day:%A}", start=0, end=6, type="DATE", value=day_value, sentence=0)
        ],
        events=[Event(type=event.kind, trigger=event.kind, who=[lead_person], where=town, when=day_value)],
    )


def article_stream(total: int, per_day: int, seed: int) -> Iterator[tuple[ArticleAnalysis, int]]:
    """`total` analysed articles in order of publication, each with the number of its event (the gold)."""
    world = _World.make(seed)
    pending: list[tuple[datetime, int, _Event]] = []
    number = serial = 0
    minutes_apart = 24 * 60 / per_day
    clock = START
    while serial < total:
        # New events keep coming at a steady rate; each is reported over the following days.
        while len(pending) < per_day:
            event = world.event(number, clock)
            for k in range(event.articles):
                delay = timedelta(hours=world.rng.uniform(0, 60) if k else world.rng.uniform(0, 3))
                pending.append((clock + delay, number, event))
            number += 1
        pending.sort(key=lambda item: item[0])
        published, event_number, event = pending.pop(0)
        clock = max(clock + timedelta(minutes=minutes_apart), published)
        serial += 1
        yield _article(world, event, serial, clock), event_number


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bcubed(gold: dict[str, int], predicted: dict[str, str]) -> tuple[float, float]:
    by_story: dict[str, list[str]] = {}
    by_event: dict[int, list[str]] = {}
    for article, story in predicted.items():
        by_story.setdefault(story, []).append(article)
        by_event.setdefault(gold[article], []).append(article)
    precision = recall = 0.0
    for article, story in predicted.items():
        same = sum(1 for other in by_story[story] if gold[other] == gold[article])
        precision += same / len(by_story[story])
        recall += same / len(by_event[gold[article]])
    n = max(1, len(predicted))
    return precision / n, recall / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=10_000, help="articles in the index before the last batch"
    )
    parser.add_argument("--extra", type=int, default=1_000, help="articles added to the full index, timed")
    parser.add_argument(
        "--per-day", type=int, help="articles published per day (default 120; with --service 2,000)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--window", type=int, default=200, help="articles timed at each checkpoint")
    parser.add_argument(
        "--service",
        action="store_true",
        help="through the persisted story memory on PostgreSQL (bench.stories_service): --days of --per-day",
    )
    parser.add_argument("--days", type=int, default=90, help="with --service: simulated days")
    parser.add_argument("--feeds", type=int, default=20, help="with --service: feeds the articles come from")
    parser.add_argument(
        "--profile",
        type=int,
        nargs="*",
        default=[],
        help="with --service: the days whose placing is profiled (cProfile, printed and saved in /tmp)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=10,
        help="with --service: cold reads timed (a percentile of 10 is the worst)",
    )
    args = parser.parse_args()
    if args.service:
        from bench.stories_service import main_service

        main_service(args.days, args.per_day or 2000, args.feeds, args.seed, args.profile, args.runs)
        return
    args.per_day = args.per_day or 120

    checkpoints = sorted({c for c in (1_000, 5_000, 10_000, args.articles) if c <= args.articles})
    index = StoryIndex()
    gold: dict[str, int] = {}
    per_article_ms: dict[int, float] = {}
    timing_at: int | None = None
    timed = 0
    elapsed = 0.0
    extra_elapsed = 0.0
    total = args.articles + args.extra
    gc.collect()
    for count, (analysis, event_number) in enumerate(article_stream(total, args.per_day, args.seed)):
        if count in checkpoints:
            timing_at, timed, elapsed = count, 0, 0.0
        gold[analysis.article.id] = event_number
        started = time.perf_counter()
        index.add(analysis)
        spent = time.perf_counter() - started
        if count >= args.articles:
            extra_elapsed += spent
        if timing_at is not None:
            timed += 1
            elapsed += spent
            if timed == args.window:
                per_article_ms[timing_at] = 1000 * elapsed / timed
                timing_at = None
    predicted = {article: index.story_of(article) or article for article in gold}
    precision, recall = _bcubed(gold, predicted)
    state_mb = len(index.state.model_dump_json()) / 1e6
    figures: dict[str, float | int] = {
        "articles": total,
        "extra_articles": args.extra,
        "articles_per_s_full_index": round(args.extra / extra_elapsed, 1) if extra_elapsed else 0.0,
        **{f"ms_per_article_at_{k // 1000}k": round(v, 3) for k, v in sorted(per_article_ms.items())},
        "open_stories": len(index.state.stories),
        "stories_closed": len(index.state.closed),
        "stories_merged": len(index.state.merged),
        "peak_rss_mb": round(_peak_mb(), 1),
        "state_json_mb": round(state_mb, 1),
        "bcubed_p": round(precision, 3),
        "bcubed_r": round(recall, 3),
    }
    print(f"{total} synthetic articles ({args.per_day} a day), {len(set(gold.values()))} events")
    for k, v in sorted(per_article_ms.items()):
        print(f"  time per article with {k:>6,} articles in the index: {v:7.3f} ms")
    print(
        f"  adding {args.extra} articles to an index of {args.articles:,}: {figures['articles_per_s_full_index']} articles/s"
    )
    print(f"  open stories {figures['open_stories']}, closed {figures['stories_closed']}")
    print(
        f"  peak memory (RSS) {figures['peak_rss_mb']} MB, index state as JSON {figures['state_json_mb']} MB"
    )
    print(f"  B-cubed against the generated events: precision {precision:.3f}, recall {recall:.3f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
