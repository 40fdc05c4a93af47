"""The docstring examples of the mutated modules, as tests mutmut can run (``make mutation`` only).

CI runs these examples through pytest's ``--doctest-modules``. Under mutmut that option is
no use: mutmut keeps a copy of each function's docstring in every mutant of it, so pytest
would collect hundreds of copies. Here only the public names of each module are searched,
so each documented example (what a caller sees) runs once, through mutmut's trampoline.
"""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = (
    "geo.escape",
    "ui.text",
    "data.csv_out",
    "data.addresses",
    "linking.exports._common",
    "linking.pairs",
    "data.coords",
    "data.validation.tail",
    "data.store",
    "linking.filters",
    "linking.series",
    "linking.registry",
)


def _owners(module: object, name: str) -> list[object]:
    """The public functions and classes of ``module`` (and the classes' methods), not mutmut's copies."""
    out: list[object] = []
    for attr, value in sorted(vars(module).items()):
        if attr.startswith(("_", "x_", "xǁ")) or "mutmut" in attr:
            continue
        if not (inspect.isfunction(value) or inspect.isclass(value)):
            continue
        if getattr(value, "__module__", None) != name:
            continue
        out.append(value)
        if inspect.isclass(value):
            out += [
                m for k, m in vars(value).items() if inspect.isfunction(m) and not k.startswith(("xǁ", "_"))
            ]
    return out


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(recurse=False)
    found = []
    for owner in _owners(module, name):
        label = f"{name}.{getattr(owner, '__qualname__', '?')}"
        found += [t for t in finder.find(owner, label, globs=dict(vars(module))) if t.examples]
    return found


CASES = [(name, test.name) for name in MODULES for test in _examples(name)]


@pytest.mark.parametrize(("module", "label"), CASES, ids=[label for _, label in CASES])
def test_documented_example_holds(module: str, label: str) -> None:
    (test,) = [t for t in _examples(module) if t.name == label]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{test.name}: {runner.failures} documented example(s) fail (see output)"
