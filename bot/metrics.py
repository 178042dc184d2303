"""The service's metrics for the operator, in a Prometheus registry of its own (served at /metrics).

Each service builds one `ServiceMetrics` and hands it to the parts that count: the feed poller (polls by
outcome, articles extracted), the digest runner (digests by result), feed notices, and the command
dispatcher (latency per command). A registry per service, not the process-wide default, so tests and
several services in one process never share counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

# Commands answer from kept stories in milliseconds; the platforms' limit is 3 s.
COMMAND_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


# The counters the scheduler's child process relays to the metrics of `briefbot run` (its /metrics).
RELAYED = ("feed_polls", "articles_extracted", "digests", "notices")


class ServiceMetrics:
    """Counters and histograms of one running briefbot."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.feed_polls = Counter(
            "briefbot_feed_polls",
            "Feed polls by outcome (new, unchanged, not_modified, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.articles_extracted = Counter(
            "briefbot_articles_extracted", "Articles analysed by the engine", registry=self.registry
        )
        self.digests = Counter(
            "briefbot_digests",
            "Scheduled digests by result (sent, skipped, recovered, failed, retry_later)",
            ["result"],
            registry=self.registry,
        )
        self.notices = Counter(
            "briefbot_feed_notices",
            "Notices to channels about their feeds by result (sent, recovered, failed, retry_later)",
            ["result"],
            registry=self.registry,
        )
        self.command_seconds = Histogram(
            "briefbot_command_seconds",
            "Time to answer a slash command, from its options to its reply",
            ["command"],
            buckets=COMMAND_BUCKETS,
            registry=self.registry,
        )
        # Every label shows from the start (at 0), so a rate over a fresh process is not missing.
        for outcome in ("new", "unchanged", "not_modified", "failed"):
            self.feed_polls.labels(outcome)
        for result in ("sent", "skipped", "recovered", "failed", "retry_later"):
            self.digests.labels(result)
            self.notices.labels(result)

    def count_polls(self, outcomes: Iterable[str]) -> None:
        """Count feed polls by their outcomes."""
        for outcome in outcomes:
            self.feed_polls.labels(outcome).inc()

    def count_results(self, counter: Counter, results: dict[str, int]) -> None:
        """Add a run's results (result → how many) to a counter."""
        for result, count in results.items():
            if count:
                counter.labels(result).inc(count)

    def observe_command(self, command: str, seconds: float) -> None:
        """Record how long a command took to answer."""
        self.command_seconds.labels(command).observe(seconds)

    def totals(self) -> dict[str, float]:
        """The counters' totals by counter and label ("digests/sent"), to relay to another process's metrics."""
        found: dict[str, float] = {}
        for name in RELAYED:
            counter: Counter = getattr(self, name)
            for metric in counter.collect():
                for sample in metric.samples:
                    if sample.name.endswith("_total"):
                        label = next(iter(sample.labels.values()), "")
                        found[f"{name}/{label}"] = sample.value
        return found

    def add_totals(self, totals: dict[str, float], before: dict[str, float]) -> None:
        """Count here what another process counted between its totals `before` and `totals`."""
        for key, value in totals.items():
            name, _, label = key.partition("/")
            delta = value - before.get(key, 0.0)
            if name not in RELAYED or delta <= 0:
                continue
            counter: Counter = getattr(self, name)
            (counter.labels(label) if label else counter).inc(delta)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
