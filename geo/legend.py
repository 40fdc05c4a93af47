"""The map legend: what each colour, size, dash and outline means (pure, escaped)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from data import schema as S
from geo.escape import escape_text
from geo.layers import legend_items_for_types
from geo.palette import LINK_STYLES, UNLINKED_COLOUR, series_colour

LEGEND_SERIES = 8


def legend_sections(
    placed: pd.DataFrame,
    series: pd.DataFrame | None,
    statuses: tuple[str, ...],
    selected_series_id: str | None,
    mode: str,
    firearm_count: int,
    area_items: list[dict[str, Any]],
    resolution: int,
    *,
    firearms_total: int | None = None,
) -> list[dict[str, Any]]:
    """Return the legend sections for ``brassmap.legend`` (all labels escaped).

    Incident types present (circle size and outline), the series colour key
    (largest series in view), lead vs hit line styles with the lead caution,
    the selected series, firearms, hexagons and boundary outlines.
    """
    sections: list[dict[str, Any]] = []
    if mode == "points":
        types = set(placed[S.INCIDENT_TYPE].astype(str)) if S.INCIDENT_TYPE in placed.columns else set()
        items = legend_items_for_types(sorted(types))
        items.append(
            {
                "kind": "circle",
                "colour": UNLINKED_COLOUR,
                "radius": 5,
                "stroke": "#333333",
                "label": escape_text("Grey fill: not linked"),
            }
        )
        for series_id in _top_series(placed, series):
            items.append(
                {
                    "kind": "circle",
                    "colour": series_colour(series_id),
                    "radius": 5,
                    "stroke": "#333333",
                    "label": escape_text(f"Series {series_id}", max_length=60),
                }
            )
        sections.append({"title": escape_text("Incidents (size = type, fill = series)"), "items": items})
    else:
        sections.append(
            {
                "title": escape_text("Incidents"),
                "items": [
                    {
                        "kind": "square",
                        "colour": "#fd8d3c",
                        "label": escape_text(f"Hexagon counts (H3 resolution {resolution}); darker = more"),
                    }
                ],
            }
        )
    link_items = []
    for status in dict.fromkeys(("hit", "lead", *statuses)):
        colour, dash, label = LINK_STYLES.get(status, LINK_STYLES["lead"])
        link_items.append({"kind": "line", "colour": colour, "dash": dash, "label": escape_text(label)})
    link_items.append({"kind": "text", "label": escape_text(S.LEAD_DISCLAIMER)})
    sections.append({"title": escape_text("Ballistic links"), "items": link_items})
    if selected_series_id is not None:
        sections.append(
            {
                "title": escape_text("Selected series"),
                "items": [
                    {
                        "kind": "line",
                        "colour": series_colour(str(selected_series_id)),
                        "label": escape_text(
                            f"Series {selected_series_id}: numbered stops in time order", max_length=100
                        ),
                    }
                ],
            }
        )
    if firearm_count:
        sections.append(
            {
                "title": escape_text("Firearms"),
                "items": [
                    {
                        "kind": "square",
                        "colour": "#222222",
                        "label": escape_text(_firearm_label(firearm_count, firearms_total)),
                    }
                ],
            }
        )
    if area_items:
        sections.append({"title": escape_text("Boundaries (hover: incidents per area)"), "items": area_items})
    return sections


def _firearm_label(drawn: int, total: int | None) -> str:
    """``Recovered firearm (12)``, or ``(1,000 of 1,234 shown)`` when the map's cap cut some."""
    if total is not None and total > drawn:
        return f"Recovered firearm ({drawn:,} of {total:,} shown)"
    return f"Recovered firearm ({drawn:,})"


def _top_series(placed: pd.DataFrame, series: pd.DataFrame | None) -> list[str]:
    """The largest series in view, for the legend's colour key."""
    if S.SERIES_ID not in placed.columns:
        return []
    in_view = placed[S.SERIES_ID].dropna().astype(str)
    if series is not None and {S.SERIES_ID, S.SERIES_SIZE} <= set(series.columns):
        ranked = series.sort_values(S.SERIES_SIZE, ascending=False, kind="stable")[S.SERIES_ID].astype(str)
        visible = set(in_view)
        return [s for s in ranked if s in visible][:LEGEND_SERIES]
    return in_view.value_counts().head(LEGEND_SERIES).index.tolist()
