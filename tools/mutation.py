"""``make mutation``: mutmut over the code where a bug hurts an analyst most (issue #15).

The targets (a file, or chosen functions of a file) and the tests run against them are listed
here and nowhere else (``TARGETS``). The run happens in a scratch copy of the tracked files
(``var/mutation-work``) with a generated ``[tool.mutmut]`` section, so the repository's own
``pyproject.toml`` is not touched. mutmut runs, for each mutant, only the listed tests that
call the mutated function. Results go to ``var/mutation.json``: per module
``{"killed", "survived", "total"}`` plus every survivor (and every mutant no listed test
reaches, which counts as not killed).

Not part of CI (like the benchmark). Two workers at most: the machine is shared.

Usage::

    python -m tools.mutation [--max-children 2] [--only data/csv_out.py ...]
    python -m tools.mutation_report var/mutation.json     # the README table
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """One file to mutate: why it matters, the tests that guard it, optionally only some functions.

    ``functions`` holds mutmut's names for functions (``x_name``) and methods
    (``xǁClassǁname``); empty means every function in the file.
    """

    why: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()


TARGETS: dict[str, Target] = {
    "geo/escape.py": Target(
        "HTML/JS escaping of every value on a map page",
        ("tests/geo/test_geo_escape.py",),
    ),
    "ui/text.py": Target("Markdown escaping in the dashboard", ("tests/ui/test_ui_helpers.py",)),
    "data/csv_out.py": Target(
        "formula-safe CSV writer (exports and rejects reports)",
        (
            "tests/data/test_data_csv_out.py",
            "tests/data/test_data_csv_out_mutants.py",
            "tests/data/test_data_planted.py",
            "tests/linking/test_linking_cleaning.py",
        ),
    ),
    "data/addresses.py": Target(
        "redaction: exact address cut to the block in exports",
        ("tests/data/test_data_addresses.py", "tests/linking/test_linking_block_addresses.py"),
    ),
    "linking/exports/_common.py": Target(
        "export writers: values cleaned, addresses generalised, serials only when asked",
        (
            "tests/linking/test_linking_export_graph.py",
            "tests/linking/test_linking_exports.py",
            "tests/linking/test_linking_cleaning.py",
            "tests/linking/test_linking_planted.py",
        ),
        ("x_clean_text", "x_clean_value", "x_generalised_selection", "x_export_graph"),
    ),
    "linking/exports/registry.py": Target(
        "export registry: the format asked for, its file name, the redaction flags passed on",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/_xml.py": Target(
        "XML exports: control characters removed from every id, name, value and text",
        ("tests/linking/test_linking_xml_safe.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/csv_zip.py": Target(
        "CSV bundle: nodes, edges and README read back by zipfile and pandas",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/geojson.py": Target(
        "GeoJSON: points, link lines and properties read back by GDAL",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/gexf.py": Target(
        "GEXF for Gephi: positions, series colours, time spells, metadata",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/graphml.py": Target(
        "GraphML: nodes, edges and the metadata block read back by networkx and igraph",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/html.py": Target(
        "standalone HTML map: block addresses, sensitive fields only when asked",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/json_nodelink.py": Target(
        "JSON node-link: nodes, edges and the metadata block",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/exports/kml.py": Target(
        "KML: one folder per series, placemark names, styles, ExtendedData",
        ("tests/linking/test_linking_exports.py", "tests/linking/test_linking_export_readback.py"),
    ),
    "linking/pairs.py": Target(
        "link status of a pair (the strongest row wins)",
        (
            "tests/linking/test_linking_pairs.py",
            "tests/linking/test_linking_graph.py",
            "tests/linking/test_linking_planted.py",
        ),
    ),
    "data/validation/tail.py": Target(
        "duplicate ids in one file are rejected",
        (
            "tests/data/test_data_planted.py",
            "tests/data/test_data_incidents.py",
            "tests/data/test_data_links.py",
            "tests/data/test_data_store_upsert.py",
        ),
    ),
    "data/validation/ids.py": Target(
        "ids: trimmed, control characters rejected, each id once in a file",
        (
            "tests/data/test_data_ids.py",
            "tests/data/test_data_hostile_values.py::test_ids_with_control_characters_are_rejected_with_a_reason",
            "tests/data/test_data_incidents.py",
            "tests/data/test_data_planted.py",
        ),
    ),
    "data/coords.py": Target(
        "coordinates: location text parsed, distance to the city, far-from-city flagged",
        ("tests/data/test_data_coords.py", "tests/data/test_data_incidents.py"),
        ("x_parse_location", "x_haversine_km", "x__far_from_city"),
    ),
    "data/parsing.py": Target(
        "dates, numbers and yes/no values read from the source text; impossible dates rejected",
        (
            "tests/data/test_data_dates.py",
            "tests/data/test_data_numbers.py",
            "tests/data/test_data_incidents.py",
            "tests/data/test_data_small_fixes.py",
            "tests/data/test_data_planted.py::test_time_zone_column_sets_the_local_date_of_a_city_outside_the_registry",
        ),
    ),
    "data/validation/source.py": Target(
        "a date field read as a calendar date, a date-time read in its row's time zone (DST gap warned)",
        (
            "tests/data/test_data_dates.py",
            "tests/data/test_data_incidents.py",
            "tests/data/test_data_small_fixes.py",
        ),
        ("x__date", "x__datetime"),
    ),
    "data/store.py": Target(
        "the store's upsert: a re-import replaces the stored row",
        (
            "tests/data/test_data_store_upsert.py",
            "tests/data/test_data_planted.py",
            "tests/data/test_data_store.py::test_round_trip_types_local_dates_and_order",
            "tests/data/test_data_boundaries.py::test_same_name_twice_is_merged_with_a_warning",
        ),
        ("xǁStoreǁ_upsert", "x__storable", "x__dtype"),
    ),
    "data/_sql.py": Target(
        "the store's upsert statement (insert or update, for SQLite and PostgreSQL)",
        (
            "tests/data/test_data_store_upsert.py",
            "tests/data/test_data_store_postgres.py",
            "tests/data/test_data_planted.py",
        ),
        ("x_upsert_statement",),
    ),
    "linking/filters.py": Target(
        "the filters: validation, the URL round trip, the description",
        ("tests/linking/test_linking_filters.py", "tests/linking/test_linking_filter_values.py"),
    ),
    "linking/counting.py": Target(
        "the one counting rule (link units, counts by status) behind the KPIs, the series table and exports",
        ("tests/linking/test_linking_counting.py", "tests/linking/test_linking_series.py"),
    ),
    "linking/series.py": Target(
        "which shootings form a series: components, series ids, the series table's counts and dates",
        ("tests/linking/test_linking_series.py", "tests/linking/test_linking_series_table.py"),
    ),
    "linking/registry.py": Target(
        "the whole-store series a filter never splits: members, stable ids, retired ids resolved "
        "(stable_series, series_index_of and the snapshot packing only keep and read back what "
        "whole_series computed; test_linking_series_snapshot.py guards them, too slow to run per mutant)",
        ("tests/linking/test_linking_registry_index.py",),
        (
            "xǁLinkEndsǁtake",
            "x_link_ends_of",
            "xǁSeriesIndexǁnumber_of",
            "xǁSeriesIndexǁresolve",
            "x_series_components",
            "x_whole_series",
        ),
    ),
}
DOC_EXAMPLES = "tools/mutation_doctests.py"  # every module's docstring examples, run for every target
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test or a timeout kills the mutant
SURVIVED = {0}
NO_TESTS = {33, 5}


def _dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def _patterns(modules: list[str]) -> list[str]:
    """mutmut mutant-name patterns selecting the chosen functions of each module."""
    out = []
    for module in modules:
        functions = TARGETS[module].functions or ("*",)
        out.extend(f"{_dotted(module)}.{name}__mutmut_*" for name in functions)
    return out


def _config(modules: list[str]) -> str:
    tests = sorted({t for m in modules for t in TARGETS[m].tests} | {DOC_EXAMPLES})
    missing = [t for t in tests if not (ROOT / t.split("::")[0]).exists()]
    if missing:
        raise SystemExit(f"tools/mutation.py lists test files that do not exist: {', '.join(missing)}")
    quoted = ", ".join(json.dumps(m) for m in modules)
    return (
        "\n[tool.mutmut]\n"
        f"source_paths = [{quoted}]\n"
        f"pytest_add_cli_args_test_selection = [{', '.join(json.dumps(t) for t in tests)}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        'also_copy = ["data", "geo", "linking", "ui", "tests", "bench", "dashboard.py", "docs", "tools"]\n'
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


def function_of(module: str, mutant: str) -> str:
    """mutmut's name for the function a mutant lives in (``x_name`` or ``xǁClassǁname``)."""
    return mutant.removeprefix(_dotted(module) + ".").rsplit("__mutmut_", 1)[0]


def readable(function: str) -> str:
    """mutmut's function name as a reader writes it: ``x_name`` -> ``name``, ``xǁCǁm`` -> ``C.m``."""
    return function.removeprefix("x_").removeprefix("xǁ").replace("ǁ", ".")


def _chosen(module: str, name: str) -> bool:
    functions = TARGETS[module].functions
    return not functions or function_of(module, name) in functions


def _counts(work: Path, module: str) -> dict[str, list[str]]:
    meta = work / "mutants" / (module + ".meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    codes = {k: c for k, c in codes.items() if _chosen(module, k)}
    return {
        "killed": sorted(k for k, c in codes.items() if c in KILLED),
        "survived": sorted(k for k, c in codes.items() if c in SURVIVED),
        "no_tests": sorted(k for k, c in codes.items() if c in NO_TESTS),
        "other": sorted(k for k, c in codes.items() if c not in KILLED | SURVIVED | NO_TESTS),
    }


_DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
path, names = sys.argv[1], sys.argv[2:]
out = {}
for name in names:
    lines = get_diff_for_mutant(name, path=path).splitlines()
    out[name] = "\\n".join(
        line[0] + " " + line[1:].strip() for line in lines
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )
print(json.dumps(out))
"""


def _changes(work: Path, module: str, names: list[str]) -> dict[str, str]:
    """Each mutant's changed lines (``- old`` / ``+ new``, stripped), read with mutmut's own diff."""
    if not names:
        return {}
    done = subprocess.run(
        [sys.executable, "-c", _DIFFS, module, *names], cwd=work, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {name: "(diff unavailable)" for name in names}
    return json.loads(done.stdout.strip().splitlines()[-1])


def equivalent_reasons() -> dict[tuple[str, str, str], str]:
    """(module, function, change) -> why the mutant cannot change behaviour.

    Read from ``tools/mutation_equivalent/<dotted module>.toml``, one file per target so that
    work on different modules never edits the same file. An entry without ``function`` applies
    to that change anywhere in the module.
    """
    known = {}
    for path in sorted((ROOT / "tools" / "mutation_equivalent").glob("*.toml")):
        for e in tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", []):
            known[(e["module"], e.get("function", ""), e["change"].strip())] = e["why"]
    return known


def why_equivalent(
    known: dict[tuple[str, str, str], str], module: str, mutant: str, change: str
) -> str | None:
    """The reason a survivor is equivalent, or None; matched by module, function and changed lines."""
    function = function_of(module, mutant)
    change = change.strip()
    return known.get((module, function, change)) or known.get((module, "", change))


def run_module(module: str, max_children: int) -> tuple[dict, list[dict], list[dict]]:
    """Mutate one target in its own scratch copy with its own tests; return counts and the losers."""
    work = ROOT / "var" / "mutation-work" / _dotted(module)
    started = time.monotonic()
    _prepare(work, [module])
    mutmut = Path(sys.executable).with_name("mutmut")
    log = work.parent / f"{_dotted(module)}.log"
    with log.open("w") as handle:
        subprocess.run(
            [str(mutmut), "run", "--max-children", str(max_children), *_patterns([module])],
            cwd=work,
            check=False,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    found = _counts(work, module)
    total = sum(len(v) for v in found.values())
    changes = _changes(work, module, found["survived"] + found["no_tests"] + found["other"])
    known = equivalent_reasons()
    survivors = []
    for name in found["survived"]:
        why = why_equivalent(known, module, name, changes.get(name, ""))
        survivors.append(
            {"module": module, "mutant": name, "change": changes.get(name, ""), "equivalent": why}
        )
    others = [
        {
            "module": module,
            "mutant": name,
            "change": changes.get(name, ""),
            "status": "no test reaches it"
            if name in found["no_tests"]
            else "other (suspicious or not checked)",
        }
        for name in found["no_tests"] + found["other"]
    ]
    equivalent = sum(1 for s in survivors if s["equivalent"])
    counts = {
        "killed": len(found["killed"]),
        "survived": len(found["survived"]),
        "equivalent": equivalent,
        "score": round(len(found["killed"]) / total, 4) if total else None,
        "score_without_equivalent": round(len(found["killed"]) / (total - equivalent), 4)
        if total - equivalent
        else None,
        "no_tests": len(found["no_tests"]),
        "total": total,
        "functions": list(TARGETS[module].functions) or "all",
        "tests": list(TARGETS[module].tests),
        "why": TARGETS[module].why,
        "seconds": round(time.monotonic() - started),
    }
    return counts, survivors, others


def _check_postgresql(without: bool) -> None:
    """Stop before any mutant runs when the PostgreSQL test server is missing (unless told to go without).

    The store and upsert targets run their tests on SQLite and PostgreSQL (:mod:`tests.backends`); without
    the server those cases skip and the PostgreSQL-only mutants would quietly count as survivors.
    """
    from tests.backends import PG_URL_ENV, pg_problem

    problem = pg_problem()
    if problem and not without:
        raise SystemExit(
            f"make mutation needs the PostgreSQL test server: {problem}. Start it and create its role and "
            f"database as .ci/run does, or set {PG_URL_ENV} to a database with PostGIS; or pass "
            "--without-postgresql to count PostgreSQL-only mutants as survivors."
        )


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the listed targets, one after the other, and write ``var/mutation.json``."""
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="parallel workers (default 2, at most 2)")
    parser.add_argument("--only", nargs="+", choices=list(TARGETS), help="mutate just these modules")
    parser.add_argument("--out", default=str(ROOT / "var" / "mutation.json"), help="where to write the JSON")
    parser.add_argument(
        "--without-postgresql",
        action="store_true",
        help="run without the PostgreSQL test server: its tests skip and PostgreSQL-only mutants survive",
    )
    args = parser.parse_args(argv)
    modules = list(args.only or TARGETS)
    _check_postgresql(args.without_postgresql)
    out = Path(args.out)
    report: dict = {"modules": {}, "survivors": [], "not_killed_otherwise": []}
    if args.only and out.exists():  # a partial run updates those modules in the last full report
        report = json.loads(out.read_text(encoding="utf-8"))
        report["survivors"] = [s for s in report["survivors"] if s["module"] not in modules]
        report["not_killed_otherwise"] = [
            s for s in report["not_killed_otherwise"] if s["module"] not in modules
        ]
        report["partial_reruns"] = sorted(set(report.get("partial_reruns", [])) | set(modules))
    started = time.monotonic()
    for module in modules:
        counts, survivors, others = run_module(module, max(1, min(args.max_children, 2)))
        report["modules"][module] = counts
        report["survivors"].extend(survivors)
        report["not_killed_otherwise"].extend(others)
        print(
            f"{module}: {counts['killed']}/{counts['total']} killed, {counts['survived']} survived "
            f"({counts['equivalent']} of them equivalent), {counts['no_tests']} reached by no listed test "
            f"({counts['seconds']} s)",
            flush=True,
        )
    total = sum(m["total"] for m in report["modules"].values())
    killed = sum(m["killed"] for m in report["modules"].values())
    report["score"] = round(killed / total, 4) if total else None
    if not args.only:
        report["wall_seconds"] = round(time.monotonic() - started)
        report["command"] = "make mutation (python -m tools.mutation --max-children 2)"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out} (score {report['score']}, this run {round(time.monotonic() - started)} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
