"""The one exception type the benchmark raises for a setup it cannot run."""

from __future__ import annotations

from data.errors import BrassmapError


class BenchError(BrassmapError, ValueError):
    """A benchmark could not be set up; the message says what is missing and what to do."""
