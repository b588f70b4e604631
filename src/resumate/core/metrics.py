"""Prometheus metrics: request counts and latency by route template.

The HTTP metrics are recorded on every request, so they are kept in plain dicts updated under
one uncontended lock and turned into Prometheus families only when ``/metrics`` is scraped
(prometheus_client's labelled ``Counter``/``Histogram`` cost several locks and lookups per
request). The exposition is the same as theirs: ``resumate_http_requests_total`` and the
``resumate_http_request_duration_seconds`` histogram.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

REGISTRY = CollectorRegistry(auto_describe=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class HttpMetrics(Collector):
    """Request counts by (method, route, status) and a latency histogram by (method, route)."""

    def __init__(self, buckets: Sequence[float] = LATENCY_BUCKETS) -> None:
        self.bounds = tuple(float(bound) for bound in buckets)
        self._lock = threading.Lock()
        # Per (method, route, status): one count per bucket, one for +Inf, then the sum of
        # seconds. One row per request's labels (a single lookup); the counter and the
        # per-(method, route) histogram are summed from the rows when scraped.
        self._rows: dict[tuple[str, str, int], list[float]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        bucket = bisect_left(self.bounds, seconds)  # first bound >= seconds: Prometheus "le"
        key = (method, route, status)
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = [0.0] * (len(self.bounds) + 2)
            row[bucket] += 1
            row[-1] += seconds

    def reset(self) -> None:
        with self._lock:
            self._rows.clear()

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            rows = sorted((key, list(row)) for key, row in self._rows.items())
        latency: dict[tuple[str, str], list[float]] = {}
        for (method, route, _status), row in rows:
            total = latency.get((method, route))
            if total is None:
                latency[(method, route)] = row
            else:
                latency[(method, route)] = [a + b for a, b in zip(total, row, strict=True)]
        requests = CounterMetricFamily(
            "resumate_http_requests",
            "HTTP requests by method, route template and status",
            labels=["method", "route", "status"],
        )
        for (method, route, status), row in rows:
            requests.add_metric([method, route, str(status)], sum(row[:-1]))
        yield requests

        histogram = HistogramMetricFamily(
            "resumate_http_request_duration_seconds",
            "HTTP request latency by method and route template",
            labels=["method", "route"],
        )
        labels = [floatToGoString(bound) for bound in self.bounds] + ["+Inf"]
        for (method, route), row in sorted(latency.items()):
            cumulative = 0.0
            buckets = []
            for label, in_bucket in zip(labels, row[:-1], strict=True):
                cumulative += in_bucket
                buckets.append((label, cumulative))
            histogram.add_metric([method, route], buckets, sum_value=row[-1])
        yield histogram


HTTP = HttpMetrics()
REGISTRY.register(HTTP)

JOBS = Counter(
    "resumate_jobs_total",
    "Background jobs by task and outcome",
    ["task", "outcome"],
    registry=REGISTRY,
)

CACHE = Counter(
    "resumate_cache_lookups_total",
    "Shared-cache lookups by namespace and outcome (hit, miss, bypass = no Redis)",
    ["namespace", "outcome"],
    registry=REGISTRY,
)
REDIS_FALLBACKS = Counter(
    "resumate_redis_fallbacks_total",
    "Operations that fell back to in-process behaviour because Redis did not answer",
    ["what"],
    registry=REGISTRY,
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP.observe(method, route, status, seconds)


def render_metrics() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
