"""Guns, recovered firearms and NIBIN evidence (scene casings and test fires).

Every series is one gun with one caliber; a share of series end with the gun
recovered (bigger series more often) and test-fired, which closes the series.
Other recovered guns were never fired at a demo scene and link to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import schema as S
from data.demo._places import AGENCIES
from data.demo.incidents import NS_PER_DAY, IncidentDraw
from geo.cities import DEFAULT_CITIES

CALIBERS: tuple[tuple[str, float, tuple[tuple[str, str], ...]], ...] = (
    ("9mm Luger", 0.56, (("Glock", "19"), ("Glock", "17"), ("Smith & Wesson", "M&P9 Shield"),
                         ("Taurus", "G2C"), ("Hi-Point", "C9"), ("SCCY", "CPX-2"), ("Ruger", "SR9c"))),
    (".40 S&W", 0.14, (("Glock", "23"), ("Glock", "22"), ("Smith & Wesson", "SD40 VE"),
                       ("Hi-Point", "JCP"))),
    (".45 Auto", 0.08, (("Glock", "21"), ("Hi-Point", "JHP"), ("Springfield Armory", "XD-45"))),
    (".380 Auto", 0.08, (("Hi-Point", "CF380"), ("Ruger", "LCP"), ("Bersa", "Thunder 380"))),
    ("7.62x39mm", 0.05, (("Century Arms", "VSKA"), ("Norinco", "SKS"), ("Zastava", "PAP M92"))),
    (".223 Rem", 0.03, (("Anderson Manufacturing", "AM-15"), ("Smith & Wesson", "M&P15"))),
    (".22 LR", 0.03, (("Ruger", "10/22"), ("Taurus", "TX22"))),
    ("10mm Auto", 0.01, (("Glock", "20"),)),
    (".357 SIG", 0.02, (("Glock", "31"),)),
)  # fmt: skip
CALIBER_NAMES = np.array([name for name, _, _ in CALIBERS], dtype=object)
CALIBER_SHARES = np.array([share for _, share, _ in CALIBERS])
EXTRA_ENTRY_SHARE = 0.2
RAPID_ENTRY_SHARE = 0.25  # a second casing of the same gun entered from one scene
UNLINKED_RECOVERED_PER_LINKED = 1.5


@dataclass(frozen=True)
class Firearms:
    """Recovered guns: the frame plus, per firearm, the series it closes (-1 = none)."""

    frame: pd.DataFrame
    series: np.ndarray
    recovered_ns: np.ndarray


@dataclass(frozen=True)
class Evidence:
    """Evidence frame plus lookups the link generator needs."""

    frame: pd.DataFrame
    primary: np.ndarray  # per incident: row of its series-gun casing (-1 without casings)
    test_fire: np.ndarray  # per firearm: row of its test fire
    entered_ns: np.ndarray  # per evidence row, UTC nanoseconds


def padded_ids(prefix: str, numbers: np.ndarray, *, width: int) -> pd.Series:
    """Return ids like ``E-00000042`` as a pandas ``string`` Series.

    Examples
    --------
    >>> padded_ids("F-", np.array([7, 123]), width=6).tolist()
    ['F-000007', 'F-000123']
    """
    width = max(width, len(str(int(numbers.max())))) if numbers.size else width
    return (prefix + pd.Series(numbers, dtype=np.int64).astype(str).str.zfill(width)).astype("string")


def draw_calibers(rng: np.random.Generator, count: int) -> np.ndarray:
    """Return caliber indexes into ``CALIBERS`` (9mm Luger most common)."""
    return rng.choice(len(CALIBERS), size=count, p=CALIBER_SHARES / CALIBER_SHARES.sum())


def _make_model(rng: np.random.Generator, calibers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    make = np.empty(calibers.size, dtype=object)
    model = np.empty(calibers.size, dtype=object)
    for index, (_, _, guns) in enumerate(CALIBERS):
        rows = np.flatnonzero(calibers == index)
        pick = rng.integers(0, len(guns), size=rows.size)
        make[rows] = np.array([gun[0] for gun in guns], dtype=object)[pick]
        model[rows] = np.array([gun[1] for gun in guns], dtype=object)[pick]
    return make, model


def _lag_ns(rng: np.random.Generator, count: int, *, median_days: float, cap_days: float) -> np.ndarray:
    days = np.minimum(cap_days, rng.lognormal(np.log(median_days), 0.9, count))
    return (6 * 3_600 * 10**9 + days * NS_PER_DAY).astype(np.int64)


def draw_firearms(
    rng: np.random.Generator,
    draw: IncidentDraw,
    members: np.ndarray,
    starts: np.ndarray,
    series_caliber: np.ndarray,
    *,
    end_ns: int,
) -> Firearms:
    """Recover some series guns after their last shooting, plus unrelated recovered guns.

    Parameters
    ----------
    members, starts : numpy.ndarray
        Output of :func:`data.demo.series.members_by_series`.
    series_caliber : numpy.ndarray
        Caliber index per series.
    end_ns : int, keyword-only
        End of the demo period (UTC ns); nothing is recovered after it.
    """
    sizes = np.diff(np.append(starts, members.size))
    last = members[starts + sizes - 1] if sizes.size else np.empty(0, dtype=np.int64)
    recovered_ns = draw.occurred_ns[last] + _lag_ns(rng, last.size, median_days=20, cap_days=365)
    closing = (rng.random(sizes.size) < np.minimum(0.55, 0.10 + 0.035 * sizes)) & (recovered_ns <= end_ns)
    closed = np.flatnonzero(closing)
    n_other = round(closed.size * UNLINKED_RECOVERED_PER_LINKED)
    context = rng.integers(0, draw.city.size, size=n_other) if draw.city.size else np.empty(0, np.int64)
    other_ns = draw.occurred_ns[context] + _lag_ns(rng, n_other, median_days=5, cap_days=60)
    keep_other = other_ns <= end_ns
    context, other_ns = context[keep_other], other_ns[keep_other]

    near = np.concatenate([last[closed], context]).astype(np.int64)
    firearm_series = np.concatenate([closed, np.full(context.size, -1)]).astype(np.int64)
    when = np.concatenate([recovered_ns[closed], other_ns]).astype(np.int64)
    caliber = np.concatenate([series_caliber[closed], draw_calibers(rng, context.size)]).astype(np.int64)
    order = np.argsort(when, kind="stable")
    near, firearm_series, when, caliber = near[order], firearm_series[order], when[order], caliber[order]
    make, model = _make_model(rng, caliber)
    numbers = np.arange(1, near.size + 1)
    jitter = rng.normal(0.0, 0.0015, size=(2, near.size))
    city_names = [city.name for city in DEFAULT_CITIES]
    agencies = np.array([AGENCIES[name].agency for name in city_names], dtype=object)
    frame = pd.DataFrame(
        {
            S.FIREARM_ID: padded_ids("F-", numbers, width=6),
            S.MAKE: pd.array(make, dtype="string"),
            S.MODEL: pd.array(model, dtype="string"),
            S.CALIBER: pd.array(CALIBER_NAMES[caliber], dtype="string"),
            S.SERIAL_NUMBER: padded_ids("SYN-", numbers, width=6),
            S.RECOVERED_AT: pd.to_datetime(when, unit="ns", utc=True),
            S.CITY: pd.Categorical.from_codes(draw.city[near], categories=city_names),
            S.LATITUDE: np.round(draw.frame[S.LATITUDE].to_numpy()[near] + jitter[0], 5),
            S.LONGITUDE: np.round(draw.frame[S.LONGITUDE].to_numpy()[near] + jitter[1], 5),
            S.AGENCY: pd.array(agencies[draw.city[near]], dtype="string"),
            S.IS_SYNTHETIC: np.ones(near.size, dtype=bool),
        }
    )
    return Firearms(frame=frame[list(S.FIREARM_SCHEMA.names)], series=firearm_series, recovered_ns=when)


def draw_evidence(
    rng: np.random.Generator,
    draw: IncidentDraw,
    guns_at_scene: np.ndarray,
    series: np.ndarray,
    series_caliber: np.ndarray,
    firearms: Firearms,
) -> Evidence:
    """Enter the scene casings (one or two per gun per scene) and one test fire per firearm.

    The first gun of a series incident is the series gun and carries its
    caliber; other guns at a scene get a caliber of their own.
    """
    scene_incident = np.repeat(np.arange(guns_at_scene.size), guns_at_scene)
    gun_starts = np.cumsum(guns_at_scene) - guns_at_scene
    gun_number = np.arange(scene_incident.size) - np.repeat(gun_starts, guns_at_scene)
    own = scene_incident[gun_number == 0]
    linked_gun = (gun_number == 0) & (series[scene_incident] >= 0)
    caliber = np.where(
        linked_gun,
        series_caliber[np.maximum(series[scene_incident], 0)] if series_caliber.size else 0,
        draw_calibers(rng, scene_incident.size),
    )
    entries = 1 + (rng.random(scene_incident.size) < EXTRA_ENTRY_SHARE).astype(np.int64)
    first_entry = np.cumsum(entries) - entries
    # Crime-gun intelligence centres enter a share of casings within a day (the 24-48 h target).
    rapid = rng.random(scene_incident.size) < RAPID_ENTRY_SHARE
    scene_entered = draw.occurred_ns[scene_incident] + np.where(
        rapid,
        _lag_ns(rng, scene_incident.size, median_days=0.5, cap_days=2),
        _lag_ns(rng, scene_incident.size, median_days=3.0, cap_days=120),
    )
    casing_scene = np.repeat(np.arange(scene_incident.size), entries)
    n_casings = casing_scene.size
    primary = np.full(guns_at_scene.size, -1, dtype=np.int64)
    primary[own] = first_entry[gun_number == 0]

    test_entered = firearms.recovered_ns + _lag_ns(rng, firearms.series.size, median_days=3, cap_days=60)
    entered = np.concatenate([scene_entered[casing_scene], test_entered]).astype(np.int64)
    n_tests = test_entered.size
    frame = pd.DataFrame(
        {
            S.EVIDENCE_ID: padded_ids("E-", np.arange(1, n_casings + n_tests + 1), width=8),
            S.EVIDENCE_KIND: pd.Categorical.from_codes(
                np.concatenate([np.zeros(n_casings, np.int64), np.ones(n_tests, np.int64)]),
                categories=list(S.EVIDENCE_KINDS),
            ),
            S.INCIDENT_ID: draw.frame[S.INCIDENT_ID].array.take(
                np.concatenate([scene_incident[casing_scene], np.full(n_tests, -1)]), allow_fill=True
            ),
            S.FIREARM_ID: firearms.frame[S.FIREARM_ID].array.take(
                np.concatenate([np.full(n_casings, -1), np.arange(n_tests)]), allow_fill=True
            ),
            S.CALIBER: pd.array(
                np.concatenate([CALIBER_NAMES[caliber[casing_scene]], firearms.frame[S.CALIBER].to_numpy()]),
                dtype="string",
            ),
            S.ENTERED_AT: pd.to_datetime(entered, unit="ns", utc=True),
            S.IS_SYNTHETIC: np.ones(n_casings + n_tests, dtype=bool),
        }
    )
    return Evidence(
        frame=frame[list(S.EVIDENCE_SCHEMA.names)],
        primary=primary,
        test_fire=np.arange(n_casings, n_casings + n_tests),
        entered_ns=entered,
    )
