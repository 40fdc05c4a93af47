"""Run the bench package's docstring examples (pytest's doctest run covers data, geo and linking)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "bench.stats", "bench.workload", "bench.baselines", "bench.targets",
    "bench.browser", "bench.chromium", "bench.stores", "bench.markdown",
)  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_bench_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert result.attempted > 0, f"{name} has no docstring examples to run"
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed; run pytest -rA to see"
