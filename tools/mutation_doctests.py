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
)


def _examples() -> list[tuple[str, doctest.DocTest]]:
    finder = doctest.DocTestFinder(recurse=False)
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in sorted(vars(module).items()):
            if attr.startswith(("_", "x_", "xǁ")) or "mutmut" in attr:
                continue
            if not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            if getattr(value, "__module__", None) != name:
                continue
            owners = [value]
            if inspect.isclass(value):
                owners += [
                    m for k, m in vars(value).items() if inspect.isfunction(m) and not k.startswith("xǁ")
                ]
            for owner in owners:
                for test in finder.find(
                    owner, f"{name}.{getattr(owner, '__qualname__', attr)}", globs=vars(module)
                ):
                    if test.examples:
                        found.append((test.name, test))
    return found


@pytest.mark.parametrize("test", [t for _, t in _examples()], ids=[n for n, _ in _examples()])
def test_documented_example_holds(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{test.name}: {runner.failures} documented example(s) fail (see output)"
