"""Small timing helpers: a monotonic stopwatch and the summaries the report prints."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """Time a block; the elapsed seconds are in the yielded list afterwards.

    Examples
    --------
    >>> with stopwatch() as elapsed:
    ...     _ = sum(range(10))
    >>> elapsed[0] >= 0.0
    True
    """
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """Call ``function`` once; return its result and the seconds it took."""
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def timed_cpu(function: Callable[[], T]) -> tuple[T, float, float]:
    """Call ``function`` once; return its result, wall seconds and this process's CPU seconds.

    On a busy shared machine the wall time grows while the CPU time does not:
    the pair shows how much of a figure is waiting for a core.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0..100) with linear interpolation.

    Examples
    --------
    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    >>> percentile([5.0], 95)
    5.0
    """
    if not values:
        raise ValueError("percentile of no values: measure at least once")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def spread(values: Sequence[float], *, digits: int = 4) -> dict[str, Any]:
    """Summarise repeated measurements as ``{"p50", "p95", "n"}``.

    Examples
    --------
    >>> spread([0.1, 0.2, 0.3])
    {'p50': 0.2, 'p95': 0.29, 'n': 3}
    """
    return {
        "p50": round(percentile(values, 50), digits),
        "p95": round(percentile(values, 95), digits),
        "n": len(values),
    }


def median(values: Sequence[float], *, digits: int = 4) -> float:
    """Return the median of repeated measurements, rounded.

    Examples
    --------
    >>> median([3.0, 1.0, 2.0])
    2.0
    """
    return round(percentile(values, 50), digits)
