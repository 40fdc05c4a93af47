"""``make mutation``: mutmut over the code where a bug hurts an analyst most (issue #15).

The modules and the test subset are listed here and nowhere else. The run happens in a
scratch copy of the tracked files (``var/mutation-work``) with a generated ``[tool.mutmut]``
section, so the repository's own ``pyproject.toml`` is not touched. Results go to
``var/mutation.json``: per module ``{"killed", "survived", "total"}`` plus every survivor.

Not part of CI (like the benchmark). Two workers at most: the machine is shared.

Usage::

    python -m tools.mutation [--max-children 2] [--only data/csv_out.py ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module -> the tests that guard it (run for every mutant of that module)
MODULES: dict[str, tuple[str, ...]] = {
    "data/csv_out.py": (
        "tests/data/test_data_csv_out.py",
        "tests/data/test_data_csv_out_mutants.py",
        "tests/data/test_data_planted.py",
        "tests/linking/test_linking_cleaning.py",
    ),
    "geo/escape.py": ("tests/geo/test_geo_escape.py",),
    "ui/text.py": ("tests/ui/test_ui_helpers.py",),
    "data/addresses.py": ("tests/linking/test_linking_exports.py",),
    "linking/pairs.py": ("tests/linking/test_linking_graph.py", "tests/linking/test_linking_planted.py"),
    "data/coords.py": ("tests/data/test_data_incidents.py",),
    "linking/filters.py": ("tests/linking/test_linking_filters.py",),
}
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test or a timeout kills the mutant
SURVIVED = {0}


def _config(modules: list[str]) -> str:
    tests = sorted({t for m in modules for t in MODULES[m]})
    quoted = ", ".join(json.dumps(m) for m in modules)
    return (
        "\n[tool.mutmut]\n"
        f"paths_to_mutate = [{quoted}]\n"
        f"pytest_add_cli_args_test_selection = [{', '.join(json.dumps(t) for t in tests)}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        'also_copy = ["data", "geo", "linking", "ui", "tests", "bench", "dashboard.py", "docs"]\n'
    )


def _prepare(work: Path, modules: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shared = ROOT.parent / "shared"
    if shared.exists() and not (work.parent / "shared").exists():
        (work.parent / "shared").symlink_to(shared)
    pyproject = work / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + _config(modules))


def _results(work: Path, modules: list[str]) -> dict:
    report: dict = {"modules": {}, "survivors": []}
    for module in modules:
        meta = work / "mutants" / (module + ".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
        killed = sorted(k for k, c in codes.items() if c in KILLED)
        survived = sorted(k for k, c in codes.items() if c in SURVIVED)
        report["modules"][module] = {"killed": len(killed), "survived": len(survived), "total": len(codes)}
        report["survivors"].extend({"module": module, "mutant": name} for name in survived)
    total = sum(m["total"] for m in report["modules"].values())
    killed_all = sum(m["killed"] for m in report["modules"].values())
    report["score"] = round(killed_all / total, 4) if total else None
    return report


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the listed modules and write ``var/mutation.json``."""
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument("--only", nargs="+", choices=list(MODULES), help="mutate just these modules")
    args = parser.parse_args(argv)
    modules = list(args.only or MODULES)
    work = ROOT / "var" / "mutation-work"
    _prepare(work, modules)
    mutmut = Path(sys.executable).with_name("mutmut")
    subprocess.run(
        [str(mutmut), "run", "--max-children", str(max(1, min(args.max_children, 2)))], cwd=work, check=False
    )
    report = _results(work, modules)
    out = ROOT / "var" / "mutation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    for module, counts in report["modules"].items():
        print(f"{module}: {counts['killed']}/{counts['total']} killed, {counts['survived']} survived")
    print(f"wrote {out} (score {report['score']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
