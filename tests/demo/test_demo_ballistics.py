"""The demo's casings, series, firearms and links behave like NIBIN data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S


def test_demo_some_incidents_leave_no_casings(demo: dict[str, pd.DataFrame]) -> None:
    incidents, evidence = demo[S.INCIDENTS], demo[S.EVIDENCE]
    casings = evidence[evidence[S.EVIDENCE_KIND] == "casing"]
    with_casings = incidents[S.INCIDENT_ID].isin(casings[S.INCIDENT_ID])
    assert 0.2 < 1 - with_casings.mean() < 0.45
    per_incident = casings.groupby(S.INCIDENT_ID).size()
    assert per_incident.min() == 1 and per_incident.max() >= 4  # multi-gun scenes
    assert casings[S.INCIDENT_ID].isin(incidents[S.INCIDENT_ID]).all()
    assert casings[S.FIREARM_ID].isna().all()


def test_demo_evidence_is_entered_after_the_shooting_or_recovery(demo: dict[str, pd.DataFrame]) -> None:
    incidents, evidence, firearms = demo[S.INCIDENTS], demo[S.EVIDENCE], demo[S.FIREARMS]
    casings = evidence[evidence[S.EVIDENCE_KIND] == "casing"]
    occurred = casings[S.INCIDENT_ID].map(incidents.set_index(S.INCIDENT_ID)[S.OCCURRED_AT])
    lag_days = (casings[S.ENTERED_AT] - occurred).dt.total_seconds() / 86_400
    assert (lag_days > 0).all() and 1 < lag_days.median() < 7
    tests = evidence[evidence[S.EVIDENCE_KIND] == "test_fire"]
    assert len(tests) == len(firearms)
    recovered = tests[S.FIREARM_ID].map(firearms.set_index(S.FIREARM_ID)[S.RECOVERED_AT])
    assert (tests[S.ENTERED_AT] > recovered).all()
    assert tests[S.INCIDENT_ID].isna().all()


def test_demo_calibers_nine_millimetre_most_common(demo: dict[str, pd.DataFrame]) -> None:
    shares = demo[S.EVIDENCE][S.CALIBER].value_counts(normalize=True)
    assert shares.index[0] == "9mm Luger" and 0.45 < shares.iloc[0] < 0.7
    assert {".40 S&W", ".45 Auto", ".380 Auto", "7.62x39mm", ".223 Rem", ".22 LR"} <= set(shares.index)
    firearms = demo[S.FIREARMS]
    assert firearms[[S.MAKE, S.MODEL, S.CALIBER]].notna().all().all()


def test_demo_link_statuses_include_all_four(demo: dict[str, pd.DataFrame]) -> None:
    shares = demo[S.LINKS][S.STATUS].value_counts(normalize=True)
    assert set(shares[shares > 0].index) == set(S.LINK_STATUSES)
    assert shares["lead"] > shares["hit"] > shares["excluded"]
    assert shares["hit"] > 0.2 and shares["pending"] < 0.05 and shares["excluded"] < 0.05


def test_demo_links_are_normalised_and_reference_known_records(demo: dict[str, pd.DataFrame]) -> None:
    links, evidence = demo[S.LINKS], demo[S.EVIDENCE]
    pairs = links[links[S.INCIDENT_B].notna()]
    assert (pairs[S.INCIDENT_A] < pairs[S.INCIDENT_B]).all()
    assert pairs[S.FIREARM_ID].isna().all()
    known = set(demo[S.INCIDENTS][S.INCIDENT_ID])
    assert set(links[S.INCIDENT_A]) <= known and set(pairs[S.INCIDENT_B]) <= known
    owner = evidence.set_index(S.EVIDENCE_ID)[S.INCIDENT_ID]
    assert (links[S.EVIDENCE_A].map(owner) == links[S.INCIDENT_A]).all()
    assert (pairs[S.EVIDENCE_B].map(owner) == pairs[S.INCIDENT_B]).all()
    assert links[S.LINK_ID].is_unique
    assert links[S.ASSOCIATION_COUNT].between(1, 3).all()


def test_demo_leads_are_never_dated_before_their_shootings(
    demo: dict[str, pd.DataFrame], demo_local_dates: pd.Series
) -> None:
    links = demo[S.LINKS]
    dated = links[links[S.LEAD_DATE].notna()]
    assert len(dated) > 0.9 * len(links)
    date_a = dated[S.INCIDENT_A].map(demo_local_dates)
    assert (dated[S.LEAD_DATE] > date_a).all()
    pairs = dated[dated[S.INCIDENT_B].notna()]
    date_b = pairs[S.INCIDENT_B].map(demo_local_dates)
    assert (pairs[S.LEAD_DATE] > date_b).all()
    lag = (pairs[S.LEAD_DATE] - np.maximum(pairs[S.INCIDENT_A].map(demo_local_dates), date_b)).dt.days
    assert lag.min() >= 1 and 3 <= lag.median() <= 30 and lag.quantile(0.95) >= 14  # days to weeks


def test_demo_hits_confirm_an_earlier_lead_of_the_same_pair(demo: dict[str, pd.DataFrame]) -> None:
    links = demo[S.LINKS]
    hits = links[links[S.STATUS] == "hit"]
    leads = links[links[S.STATUS] == "lead"]
    assert hits[S.CONFIRMED_DATE].notna().all() and leads[S.CONFIRMED_DATE].isna().all()
    assert (hits[S.CONFIRMED_DATE] > hits[S.LEAD_DATE]).all()
    key = [S.LEAD_NUMBER, S.INCIDENT_A, S.INCIDENT_B, S.FIREARM_ID]
    matched = hits.merge(leads, on=key, how="left", suffixes=("", "_lead"), indicator=True)
    assert (matched["_merge"] == "both").all()
    assert (matched[S.LINK_ID] != matched[f"{S.LINK_ID}_lead"]).all()
    assert leads[S.LEAD_NUMBER].is_unique
    pending = links[links[S.STATUS] == "pending"]
    assert pending[S.LEAD_DATE].isna().all() and pending[S.LEAD_NUMBER].isna().all()


def test_demo_series_sizes_are_heavy_tailed(demo_series: pd.DataFrame) -> None:
    sizes = demo_series.groupby("component").size()
    assert len(sizes) > 500
    assert sizes.isin([2, 3]).mean() > 0.6
    assert sizes.max() >= 10
    assert (sizes >= 10).sum() >= 5


def test_demo_series_are_trees_with_a_few_extra_edges(
    demo: dict[str, pd.DataFrame], demo_series: pd.DataFrame
) -> None:
    links = demo[S.LINKS]
    pairs = links[links[S.INCIDENT_B].notna() & (links[S.STATUS] != "excluded")]
    edges = pairs.drop_duplicates([S.INCIDENT_A, S.INCIDENT_B])
    component = demo_series.set_index(S.INCIDENT_ID)["component"]
    edges_per = edges[S.INCIDENT_A].map(component).value_counts()
    nodes_per = demo_series.groupby("component").size()
    surplus = edges_per.reindex(nodes_per.index, fill_value=0) - (nodes_per - 1)
    assert (surplus >= 0).all()
    assert 0.02 < (surplus > 0).mean() < 0.5  # some cycles, mostly trees
    degree = pd.concat([edges[S.INCIDENT_A], edges[S.INCIDENT_B]]).value_counts()
    assert (degree >= 3).sum() > 20  # branching, not just chains


def test_demo_a_few_series_cross_cities(demo_series: pd.DataFrame) -> None:
    cities = demo_series.groupby("component")[S.CITY].nunique()
    share = (cities > 1).mean()
    assert (cities > 1).sum() >= 10
    assert 0.01 < share < 0.1


def test_demo_excluded_leads_join_different_guns(
    demo: dict[str, pd.DataFrame], demo_series: pd.DataFrame
) -> None:
    links = demo[S.LINKS]
    excluded = links[links[S.STATUS] == "excluded"]
    component = demo_series.set_index(S.INCIDENT_ID)["component"]
    a = excluded[S.INCIDENT_A].map(component)
    b = excluded[S.INCIDENT_B].map(component)
    same = a.notna() & (a == b)
    assert not same.any()
    assert excluded[S.LEAD_NUMBER].notna().all()


def test_demo_recovered_guns_close_their_series(
    demo: dict[str, pd.DataFrame], demo_series: pd.DataFrame
) -> None:
    links, firearms, incidents = demo[S.LINKS], demo[S.FIREARMS], demo[S.INCIDENTS]
    fired = links[links[S.FIREARM_ID].notna()]
    assert len(fired) > 100
    assert fired[S.INCIDENT_B].isna().all()
    kinds = demo[S.EVIDENCE].set_index(S.EVIDENCE_ID)[S.EVIDENCE_KIND]
    assert (fired[S.EVIDENCE_B].map(kinds) == "test_fire").all()
    shooter = demo[S.EVIDENCE].set_index(S.EVIDENCE_ID)[S.FIREARM_ID]
    assert (fired[S.EVIDENCE_B].map(shooter) == fired[S.FIREARM_ID]).all()
    component = demo_series.set_index(S.INCIDENT_ID)["component"]
    occurred = incidents.set_index(S.INCIDENT_ID)[S.OCCURRED_AT]
    shot_at = demo_series.assign(at=demo_series[S.INCIDENT_ID].map(occurred))
    last_shot = shot_at.groupby("component")["at"].max()
    per_gun = fired.assign(component=fired[S.INCIDENT_A].map(component)).dropna(subset=["component"])
    recovered = per_gun[S.FIREARM_ID].map(firearms.set_index(S.FIREARM_ID)[S.RECOVERED_AT])
    assert (recovered > per_gun["component"].map(last_shot)).all()
    assert per_gun.groupby(S.FIREARM_ID)["component"].nunique().max() == 1
    # Most recovered guns never show up at a demo scene.
    assert firearms[S.FIREARM_ID].isin(fired[S.FIREARM_ID]).mean() < 0.6


def test_demo_series_links_share_one_caliber(demo: dict[str, pd.DataFrame]) -> None:
    links, evidence = demo[S.LINKS], demo[S.EVIDENCE]
    caliber = evidence.set_index(S.EVIDENCE_ID)[S.CALIBER]
    true_links = links[links[S.STATUS].isin(["lead", "hit"])]
    assert (true_links[S.EVIDENCE_A].map(caliber) == true_links[S.EVIDENCE_B].map(caliber)).all()


def test_demo_sites_are_city_sites_or_the_central_review(demo: dict[str, pd.DataFrame]) -> None:
    sites = demo[S.LINKS][S.SITE].value_counts(normalize=True)
    assert any("NNCTC" in site for site in sites.index)
    assert "Detroit PD NIBIN site" in sites.index
    assert sites.index.str.contains("NIBIN site|NNCTC").all()


def test_demo_scaled_links_keep_the_shape(demo_50k: dict[str, pd.DataFrame]) -> None:
    links = demo_50k[S.LINKS]
    shares = links[S.STATUS].value_counts(normalize=True)
    assert 0.5 < shares["lead"] < 0.75 and 0.2 < shares["hit"] < 0.4
    pairs = links[links[S.INCIDENT_B].notna()]
    assert (pairs[S.INCIDENT_A] < pairs[S.INCIDENT_B]).all()
    linked = pd.concat([links[S.INCIDENT_A], pairs[S.INCIDENT_B]]).nunique()
    assert 0.25 < linked / len(demo_50k[S.INCIDENTS]) < 0.5
