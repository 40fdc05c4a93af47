"""``python -m bench`` end to end on a small store: one JSON object with every figure of issue #6.

No figure is compared with a time; the test checks that each is measured and
has the shape the README documents.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
PER_VIEW = (
    "graph_s", "series_s", "map_build_s", "map_html_bytes", "graph_payload_bytes", "server_filter_change_s",
)  # fmt: skip


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    work_dir = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable, "-m", "bench", "--incidents", "2000", "--json", "--skip-browser",
        "--repeats", "1", "--filters", "6", "--work-dir", str(work_dir), "--naive-timeout", "60",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    return done, work_dir


def test_small_run_prints_one_json_object_with_every_figure(small_run) -> None:
    done, _ = small_run
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)

    assert report["dataset"]["incidents"] == 2000
    assert report["dataset"]["synthetic"] is True
    assert report["ingest_rows_per_s"] > 0
    assert report["details"]["ingest"]["rows"] == 2000
    assert report["details"]["area_membership_once_s"] > 0  # the dashboard's one join per dataset, timed
    for key in ("load_s", "filter_s"):
        assert 0 < report[key]["p50"] <= report[key]["p95"]
    assert report["filter_s"]["n"] == 6
    for key in PER_VIEW:
        assert set(report[key]) == {"median_filter", "all"}, key
        assert all(value > 0 for value in report[key].values()), key
    assert report["map_html_bytes"]["all"] <= 2_000_000
    assert report["graph_payload_bytes"]["all"] <= 1_000_000
    assert report["networkx_series_s"] > 0
    desk = report["lead_desk_s"]  # the Leads tab's recompute: lead history, lead table, triage queue
    for key in ("events_read_s", "lead_table_s", "queue_s", "total_s", "lead_table_cpu_s", "queue_cpu_s"):
        assert 0 < desk[key]["p50"] <= desk[key]["p95"], key
    assert desk["leads"] > desk["open_leads"] > 0 and desk["events"] >= desk["leads"]
    assert report["naive_map_build_s"]["2000"]["build_s"] > 0
    assert report["ratios"]["naive_map_vs_ours_at_2000"] > 0
    assert report["ratios"]["networkx_vs_series"] > 0
    assert report["browser_filter_to_ready_s"] == {"skipped": "--skip-browser"}
    assert report["browser_widget_change_s"] == {"skipped": "--skip-browser"}
    assert report["peak_rss_mb"] is None
    assert report["errors"] == {}
    machine = report["machine"]
    assert machine["nproc"] >= 1 and machine["python"].startswith("3.")
    names = {row["name"] for row in report["targets"]}
    browser = "browser filter change p95 (City widget, open dashboard)"
    assert {"import rate", "cold load (dashboard path)", browser} <= names


def test_small_run_series_agree_with_networkx(small_run) -> None:
    done, _ = small_run
    compared = json.loads(done.stdout)["details"]["series_comparison"]

    assert compared["linked_incidents"] == compared["networkx_linked_incidents"] > 0
    assert compared["series"] == compared["networkx_series"]


def test_small_run_keeps_its_store_for_the_next_run(small_run) -> None:
    done, work_dir = small_run
    report = json.loads(done.stdout)

    assert Path(report["details"]["store"]["file"]).parent == work_dir
    assert (work_dir / "demo-seed2019-n2000-lauto.sqlite").is_file()
    assert report["details"]["store"]["reused"] is False
