"""Demo frames generated once per test session (the generator is deterministic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from data import schema as S
from data.demo import generate_demo
from geo.cities import known_city


@pytest.fixture(scope="session")
def demo() -> dict[str, pd.DataFrame]:
    """The default demo (realistic volumes, seed 2019)."""
    return generate_demo()


@pytest.fixture(scope="session")
def demo_50k() -> dict[str, pd.DataFrame]:
    """A scaled demo of 50,000 incidents."""
    return generate_demo(incidents=50_000)


def local_dates(incidents: pd.DataFrame) -> pd.Series:
    """Local calendar date (midnight, naive) of each incident in its city's time zone."""
    out = pd.Series(pd.NaT, index=incidents.index, dtype="datetime64[ns]")
    for city, rows in incidents.groupby(S.CITY, observed=True):
        zone = known_city(str(city)).time_zone
        out[rows.index] = rows[S.OCCURRED_AT].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return out


def series_table(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Connected components of incidents over lead, hit and pending incident-incident links.

    Returns one row per incident in a component of two or more: ``incident_id``,
    ``component`` and ``city``.
    """
    pairs = links[links[S.INCIDENT_B].notna() & (links[S.STATUS] != "excluded")]
    index = pd.Index(incidents[S.INCIDENT_ID])
    a = index.get_indexer(pairs[S.INCIDENT_A])
    b = index.get_indexer(pairs[S.INCIDENT_B])
    n = len(index)
    graph = coo_matrix((np.ones(a.size), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    member = sizes[labels] >= 2
    return pd.DataFrame(
        {
            S.INCIDENT_ID: incidents[S.INCIDENT_ID].to_numpy()[member],
            "component": labels[member],
            S.CITY: incidents[S.CITY].astype(str).to_numpy()[member],
        }
    )


@pytest.fixture(scope="session")
def demo_local_dates(demo: dict[str, pd.DataFrame]) -> pd.Series:
    """Local date of each default-demo incident, indexed by incident id."""
    incidents = demo[S.INCIDENTS]
    return pd.Series(local_dates(incidents).to_numpy(), index=incidents[S.INCIDENT_ID].to_numpy())


@pytest.fixture(scope="session")
def demo_series(demo: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Series (connected components) of the default demo."""
    return series_table(demo[S.INCIDENTS], demo[S.LINKS])
