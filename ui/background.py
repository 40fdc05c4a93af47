"""Work started early in a run and finished on a worker thread, remembered per key.

The machine has two cores: while the main thread builds the map, a worker
lays out the link graph or counts the period before. Results are kept per
key (everything they depend on), shared by every session and never mutated;
a failed result is computed again on the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class BackgroundResults(Generic[T]):
    """One worker thread and the last ``max_remembered`` results it made, by key.

    Examples
    --------
    >>> squares = BackgroundResults("doc-squares", max_remembered=2)
    >>> squares.start(("a", 3), pow, 3, 2).result()
    9
    >>> squares.start(("a", 3), pow, 99, 2) is squares.start(("a", 3), pow, 3, 2)
    True
    """

    def __init__(self, name: str, *, max_remembered: int) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"brassmap-{name}")
        self._results: OrderedDict[Hashable, Future[T]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_remembered

    def start(self, key: Hashable, work: Callable[..., T], *args: Any) -> Future[T]:
        """Return the future result for ``key``, starting ``work(*args)`` if none is kept (or it failed)."""
        with self._lock:
            found = self._results.get(key)
            if found is None or (found.done() and found.exception() is not None):
                found = self._worker.submit(work, *args)
                self._results[key] = found
                while len(self._results) > self._max:
                    self._results.popitem(last=False)
            else:
                self._results.move_to_end(key)
            return found
