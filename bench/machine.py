"""Describe the machine a benchmark ran on (printed with every set of figures)."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def cpu_pressure() -> float | None:
    """Share of the last minute (percent) in which some runnable task waited for a CPU (Linux PSI)."""
    try:
        first = Path("/proc/pressure/cpu").read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(part.split("=", 1) for part in first.split()[1:])
    try:
        return float(fields["avg60"])
    except (KeyError, ValueError):
        return None


def machine_info() -> dict[str, Any]:
    """Return cores, memory, CPU model, OS, Python, the load average and the UTC date of the run.

    The load average says how busy the shared machine was: the figures are
    medians, but a load above the core count slows every one of them.
    """
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": _memory_gb(),
        "cpu_model": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpu_pressure_avg60_pct": cpu_pressure(),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def rss_mb_of(pid: int, *, field: str = "VmHWM") -> float | None:
    """Return a memory figure (``VmHWM`` peak or ``VmRSS`` now) of a process in MB, or ``None``."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def process_tree(pid: int) -> list[int]:
    """Return ``pid`` and every descendant still running (from ``/proc/<pid>/task/*/children``)."""
    seen: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        task_dir = Path(f"/proc/{current}/task")
        try:
            tasks = list(task_dir.iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                stack.extend(int(child) for child in (task / "children").read_text().split())
            except (OSError, ValueError):
                continue
    return seen


def tree_peak_rss_mb(pid: int) -> float | None:
    """Sum of ``VmHWM`` (peak resident memory) over a process and its children, in MB."""
    peaks = [rss_mb_of(p) for p in process_tree(pid)]
    known = [p for p in peaks if p is not None]
    return round(sum(known), 1) if known else None
