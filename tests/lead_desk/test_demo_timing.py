"""The demo's lead timing looks like a real lead desk, and its events are the same for the same seed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data import schema as S
from data.demo import build_demo_store, generate_demo
from data.demo.lead_events import demo_lead_events
from data.lead_events import read_events
from data.store import Store
from linking.kpis import interval_days, timeliness
from linking.leads import lead_table, reference_date
from linking.registry import stable_series


def test_demo_events_are_deterministic_for_a_seed() -> None:
    frames = generate_demo(seed=7, incidents=2_000)
    first = demo_lead_events(frames[S.LINKS], frames[S.INCIDENTS], seed=7)
    again = demo_lead_events(frames[S.LINKS], frames[S.INCIDENTS], seed=7)
    other = demo_lead_events(frames[S.LINKS], frames[S.INCIDENTS], seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_demo_leads_come_days_after_the_shooting_with_a_tail_of_weeks(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    build_demo_store(store, seed=2019, incidents=4_000)
    frames = stable_series(store, store.load_frames())
    events = read_events(store)
    assert {"imported", "reviewed", "disseminated", "confirmed", "excluded"} <= set(events[S.EVENT])
    today = reference_date(frames)
    leads = lead_table(frames, events, today=today)
    days = interval_days(leads, S.SHOOTING_DATE, S.LEAD_DATE).dropna()
    assert 2 <= days.median() <= 8  # most leads a few days after the later shooting
    assert days.quantile(0.9) >= 14  # a tail of weeks
    figures = timeliness(leads, today=today)
    assert figures["median_days_lead_to_disseminated"] <= 2
    assert figures["leads"] > 500 and len(figures["overdue"]) > 0
    assert leads[S.IS_OPEN].sum() > 10  # the queue has work in it
