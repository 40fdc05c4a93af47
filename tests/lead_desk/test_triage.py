"""Each triage part moves the score the way linking.triage documents it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from data.lead_events import add_event, read_events
from data.store import Store
from linking.cli import main
from linking.leads import lead_table
from linking.registry import stable_series
from linking.triage import TRIAGE_WEIGHTS as W
from linking.triage import _Facts, lead_queue, score_parts

BASE = _Facts(size=2, cities=1, agencies=1, killed=0, injured=0, recent=0, days_since_latest=60,
              home_share=0.0, recovered_gun=False, known_caliber=False, lead_age_days=2)  # fmt: skip


def _total(facts: _Facts) -> float:
    return round(sum(sum(group.values()) for group in score_parts(facts).values()), 1)


@pytest.mark.parametrize(
    ("change", "delta"),
    [
        ({"cities": 2}, W.cross_jurisdiction),  # Geography: crosses cities
        ({"agencies": 2}, W.cross_jurisdiction + W.per_agency),  # crosses agencies (and one more agency)
        ({"home_share": 0.5}, W.home_cities / 2),  # one of its two incidents in the analyst's cities
        ({"size": 5}, 3 * W.per_extra_shooting),  # Events: three shootings beyond two
        ({"size": 40}, W.size_cap),
        ({"killed": 1, "injured": 2}, W.per_killed + 2 * W.per_injured),
        ({"recent": 2}, 2 * W.per_recent_shooting),
        ({"days_since_latest": 30}, W.freshness / 2),  # Time: fresher shooting
        ({"days_since_latest": 0}, W.freshness),
        ({"lead_age_days": 7}, 5 * W.per_overdue_day),  # five days past the 2-day target
        ({"lead_age_days": 100}, W.overdue_cap),
        ({"recovered_gun": True}, W.recovered_gun),  # Solvability
        ({"known_caliber": True}, W.known_caliber),
        ({"agencies": 9}, W.cross_jurisdiction + W.agency_cap - W.per_agency),
    ],
)
def test_each_part_adds_its_documented_points(change: dict, delta: float) -> None:
    assert _total(replace(BASE, **change)) - _total(BASE) == pytest.approx(delta, abs=0.11)


def test_older_shootings_score_lower() -> None:
    assert _total(replace(BASE, days_since_latest=10)) > _total(replace(BASE, days_since_latest=40))


def _queue(store: Store, **options: object) -> dict[str, dict]:
    frames = stable_series(store, store.load_frames())
    leads = lead_table(frames, read_events(store), today=date(2019, 4, 10))
    queue = lead_queue(frames, leads, today=date(2019, 4, 10), **options)  # type: ignore[arg-type]
    return {row["lead_number"]: row for row in queue.to_dict(orient="records")}


def test_queue_reads_the_store_the_documented_way(desk: Store) -> None:
    queue = _queue(desk)
    assert list(queue) == ["N-2", "N-5", "N-4"]  # open leads only, highest first
    n2 = queue["N-2"]["score_components"]
    assert n2["geography"]["cross_jurisdiction"] == W.cross_jurisdiction  # its series reaches Memphis
    assert n2["events"]["series_size"] == 2 * W.per_extra_shooting  # D1, D2, D3, M1
    assert n2["events"]["killed_and_shot"] == W.per_killed + 3 * W.per_injured  # D1 killed; 3 shot
    assert queue["N-5"]["score_components"]["solvability"]["recovered_gun"] == W.recovered_gun  # test fire
    # excluding the Memphis lead shrinks N-2's joined series: one shooting and one person shot fewer
    add_event(desk, ["L3"], event="excluded", note="different firearm", day="2019-04-09")
    after = _queue(desk)["N-2"]["score_components"]["events"]
    assert after["series_size"] == n2["events"]["series_size"] - W.per_extra_shooting
    assert after["killed_and_shot"] == n2["events"]["killed_and_shot"] - W.per_injured


def test_home_cities_count_the_share_inside(desk: Store) -> None:
    everywhere = _queue(desk, open_only=False)["N-3"]["score_components"]["geography"]["home_cities"]
    detroit = _queue(desk, open_only=False, cities=("Detroit",))["N-3"]["score_components"]["geography"]
    assert (everywhere, detroit["home_cities"]) == (W.home_cities, W.home_cities / 2)
    assert "N-3" not in _queue(desk, open_only=False, cities=("Albuquerque",))


def test_leads_cli_prints_scores_highest_first(desk_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["leads", "--open", "--json", "--today", "2019-04-10", "--db", desk_url]) == 0
    document = json.loads(capsys.readouterr().out)
    scores = [lead["score"] for lead in document["leads"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    first = document["leads"][0]
    parts = first["score_components"]
    assert set(parts) == {"geography", "events", "time", "solvability"}
    assert first["score"] == pytest.approx(sum(p["points"] for p in parts.values()), abs=0.11)
    assert document["weights"]["cross_jurisdiction"] == W.cross_jurisdiction
    assert main(["leads", "--db", desk_url, "--today", "2019-04-10", "--city", "Memphis"]) == 0
    assert "N-3" in capsys.readouterr().out
