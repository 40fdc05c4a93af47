"""The README's mutation section, generated from ``var/mutation.json`` (issue #15).

Usage::

    python -m tools.mutation_report [var/mutation.json]            # print the Markdown
    python -m tools.mutation_report [var/mutation.json] --readme   # rewrite README.md between the markers
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from tools.mutation import equivalent_reasons, readable, why_equivalent

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- mutation-report:start (python -m tools.mutation_report --readme) -->"
END = "<!-- mutation-report:end -->"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _short(mutant: str) -> str:
    function, number = mutant.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)
    return f"{readable(function)} #{number}"


def _reclassify(report: dict) -> dict:
    """Apply the current tools/mutation_equivalent/ to the survivors' changed lines (no rerun needed)."""
    known = equivalent_reasons()
    counts: dict[str, int] = defaultdict(int)
    for s in report.get("survivors", []):
        s["equivalent"] = why_equivalent(known, s["module"], s["mutant"], s.get("change", ""))
        counts[s["module"]] += bool(s["equivalent"])
    for module, m in report["modules"].items():
        m["equivalent"] = counts[module]
        rest = m["total"] - m["equivalent"]
        m["score_without_equivalent"] = round(m["killed"] / rest, 4) if rest else None
    return report


def markdown(report: dict) -> str:
    """The score table, the equivalent survivors grouped by reason, and the other survivors."""
    report = _reclassify(report)
    lines = [
        "| module (functions) | what a bug there breaks | killed / total | equivalent | score | "
        "score without equivalent | not killed, not equivalent |",
        "|---|---|---|---|---|---|---|",
    ]
    totals = defaultdict(int)
    for module, m in report["modules"].items():
        functions = (
            ""
            if m.get("functions") == "all"
            else " ("
            + ", ".join(readable(f) for f in m.get("functions", []))
            + ")"
        )
        open_ = m["total"] - m["killed"] - m.get("equivalent", 0)
        lines.append(
            f"| `{module}`{functions} | {m.get('why', '')} | {m['killed']} / {m['total']} | "
            f"{m.get('equivalent', 0)} | {_pct(m.get('score'))} | {_pct(m.get('score_without_equivalent'))} "
            f"| {open_} |"
        )
        for key in ("killed", "total", "equivalent"):
            totals[key] += m.get(key, 0)
    if totals["total"]:
        lines.append(
            f"| **all** | | {totals['killed']} / {totals['total']} | {totals['equivalent']} | "
            f"{_pct(totals['killed'] / totals['total'])} | "
            f"{_pct(totals['killed'] / max(1, totals['total'] - totals['equivalent']))} | "
            f"{totals['total'] - totals['killed'] - totals['equivalent']} |"
        )
    wall = report.get("wall_seconds")
    if wall is not None:
        lines += ["", f"Full run wall time: {wall // 60} min {wall % 60} s (2 workers, shared machine)."]
    if report.get("partial_reruns"):
        rerun = ", ".join(f"`{m}`" for m in report["partial_reruns"])
        lines += ["", f"Rerun after it with `--only` (tests added since): {rerun}."]
    by_reason: dict[tuple[str, str], list[str]] = defaultdict(list)
    plain: list[dict] = []
    for s in report.get("survivors", []):
        if s.get("equivalent"):
            by_reason[(s["module"], s["equivalent"])].append(_short(s["mutant"]))
        else:
            plain.append(s)
    if by_reason:
        lines += [
            "",
            "Equivalent survivors (they cannot change behaviour; reasons kept in "
            "`tools/mutation_equivalent/<module>.toml`):",
            "",
        ]
        for (module, why), names in by_reason.items():
            lines.append(f"- `{module}` {', '.join(names)}: {why}")
    others = plain + list(report.get("not_killed_otherwise", []))
    if others:
        lines += ["", "Not killed and not shown equivalent (open work):", ""]
        for s in others:
            change = s.get("change", "").replace("\n", " → ").replace("|", "\\|")
            status = s.get("status", "survived")
            lines.append(f"- `{s['module']}` {_short(s['mutant'])} ({status}): `{change}`")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the section, or write it into README.md between the markers."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.mutation_report", description=__doc__.splitlines()[0]
    )
    parser.add_argument("json", nargs="?", default=str(ROOT / "var" / "mutation.json"))
    parser.add_argument("--readme", action="store_true", help="rewrite README.md between the markers")
    args = parser.parse_args(argv)
    text = markdown(json.loads(Path(args.json).read_text(encoding="utf-8")))
    if not args.readme:
        print(text, end="")
        return 0
    readme = ROOT / "README.md"
    current = readme.read_text(encoding="utf-8")
    if START not in current or END not in current:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = current.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + START + "\n" + text + END + tail, encoding="utf-8")
    print(f"rewrote the mutation section of {readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
