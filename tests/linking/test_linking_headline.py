"""Headline numbers counted without the series table equal those read off a full selection."""

from __future__ import annotations

from datetime import date

import pytest

from data.demo import build_demo_store
from data.store import Store
from linking.filters import Filters
from linking.headline import count_headline, headline
from linking.selection import select

FILTERS = [
    Filters(),
    Filters(cities=("Detroit",)),
    Filters(cities=("Memphis", "Milwaukee"), date_from=date(2020, 1, 1), date_to=date(2020, 12, 31)),
    Filters(link_statuses=("hit",)),
    Filters(link_statuses=("lead", "hit", "pending", "excluded"), min_series_size=3),
    Filters(only_linked=True, date_from=date(2021, 6, 1)),
    Filters(cities=("Nowhere",)),
]


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('headline') / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=11, incidents=1_500)
    return Store(url).load_frames()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe()[:40])
def test_counted_headline_equals_the_selection_s(frames, filters) -> None:
    full = headline(select(frames, filters))
    assert count_headline(frames, filters) == full


def test_the_demo_has_something_to_count(frames) -> None:
    seven = headline(select(frames, Filters()))
    assert seven.incidents == 1_500 and 0 < seven.series < seven.linked < seven.incidents
    assert seven.leads > 0 and seven.hits > 0 and seven.cross_city_series > 0
