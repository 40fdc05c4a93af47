"""The bulletin's three figures, drawn as PDF vector graphics from plain geometry (no tiles, no network).

Each function draws into a box ``(x, y, w, h)`` in millimetres on an
``fpdf.FPDF`` page: :func:`draw_map` (city limits and numbered stops in time
order), :func:`draw_link_chart` (hits solid, leads dashed, pending dotted)
and :func:`draw_timeline`.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from data import schema as S

TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    "homicide": (153, 27, 30),
    "non_fatal_shooting": (217, 95, 2),
    "shots_fired": (49, 99, 149),
    "gunfire_alert": (110, 110, 110),
}
INK = (40, 40, 40)
HIT_COLOUR = (20, 20, 20)
LEAD_COLOUR = (200, 70, 20)


def latin(text: object) -> str:
    """Text the PDF's core fonts can show (Latin-1); other characters become ``?``.

    >>> latin("S-1 \u2014 \u201cquoted\u201d")
    'S-1 - "quoted"'
    """
    swaps = {"\u2014": "-", "\u2013": "-", "\u2192": "->", "\u2018": "'", "\u2019": "'", "\u201c": '"',
             "\u201d": '"', "\u2026": "...", "\u2265": ">=", "\u2264": "<="}  # fmt: skip
    value = str(text)
    for old, new in swaps.items():
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


def _stop(pdf: Any, x: float, y: float, number: int, colour: tuple[int, int, int],
          radius: float = 2.3) -> None:  # fmt: skip
    pdf.set_fill_color(*colour)
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.3)
    pdf.circle(x, y, radius, style="FD")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 5.5 if number < 100 else 4.5)
    pdf.set_xy(x - radius, y - 1.5)
    pdf.cell(2 * radius, 3, str(number), align="C")
    pdf.set_text_color(*INK)


def _frame(pdf: Any, x: float, y: float, w: float, h: float, title: str) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, h)
    pdf.set_font("Helvetica", "B", 7.5)
    pdf.set_text_color(*INK)
    pdf.set_xy(x + 1.5, y + 1)
    pdf.cell(w - 3, 3.5, latin(title))


def _rings(geometry: Any) -> list[list[tuple[float, float]]]:
    parts = getattr(geometry, "geoms", [geometry])
    rings = []
    for part in parts:
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings.append(list(part.exterior.coords))
        rings.extend(list(hole.coords) for hole in part.interiors)
    return rings


def draw_map(pdf: Any, box: tuple[float, float, float, float], stops: pd.DataFrame,
             boundaries: list[tuple[str, Any]]) -> None:  # fmt: skip
    """City limits (grey), the path in time order (dotted) and numbered stops coloured by type."""
    x, y, w, h = box
    _frame(pdf, x, y, w, h, "Map (city limits; stops numbered in time order; no basemap)")
    inner = (x + 2, y + 6, w - 4, h - 8)
    lon, lat = stops[S.LONGITUDE].to_numpy(float), stops[S.LATITUDE].to_numpy(float)
    rings = [ring for _, geometry in boundaries for ring in _rings(geometry)]
    # frame the stops (city limits are context, clipped): their extent plus a margin, at least ~3 km
    squash = math.cos(math.radians(float(np.mean(lat)))) or 1.0
    span_x = max(float(lon.max() - lon.min()) * squash * 1.25, 0.03)
    span_y = max(float(lat.max() - lat.min()) * 1.25, 0.03)
    scale = min(inner[2] / span_x, inner[3] / span_y) * 0.94
    cx, cy = (lon.max() + lon.min()) / 2, (lat.max() + lat.min()) / 2

    def page(px: float, py: float) -> tuple[float, float]:
        return (inner[0] + inner[2] / 2 + (px - cx) * squash * scale,
                inner[1] + inner[3] / 2 - (py - cy) * scale)  # fmt: skip

    with pdf.rect_clip(*inner):
        pdf.set_draw_color(120, 120, 120)
        pdf.set_fill_color(238, 238, 232)
        pdf.set_line_width(0.25)
        for ring in rings:
            if len(ring) >= 3:
                pdf.polygon([page(px, py) for px, py in ring], style="DF")
        points = [page(a, b) for a, b in zip(lon, lat, strict=True)]
        if len(points) > 1:
            pdf.set_draw_color(90, 90, 90)
            pdf.set_line_width(0.3)
            pdf.set_dash_pattern(dash=0.6, gap=0.8)
            pdf.polyline(points)
            pdf.set_dash_pattern()
        for (px, py), number, kind in zip(points, stops["stop"], stops[S.INCIDENT_TYPE], strict=True):
            _stop(pdf, px, py, int(number), TYPE_COLOURS.get(kind, INK))
    km = _scale_km(inner[2] / scale * 111.32, inner[2])
    if km:
        length = km / 111.32 * scale
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.4)
        pdf.line(inner[0] + 2, y + h - 3, inner[0] + 2 + length, y + h - 3)
        pdf.set_font("Helvetica", "", 6)
        pdf.set_xy(inner[0] + 3 + length, y + h - 4.5)
        pdf.cell(20, 3, f"{km:g} km")


def _scale_km(width_km: float, width_mm: float) -> float:
    """A round length for a scale bar about a quarter of the map's width."""
    target = width_km / 4
    if target <= 0:
        return 0.0
    step = 10 ** math.floor(math.log10(target))
    return float(max(s * step for s in (1, 2, 5) if s * step <= target))


def _layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    if graph.number_of_nodes() <= 2:
        return {n: (float(i), 0.0) for i, n in enumerate(sorted(graph.nodes, key=str))}
    if nx.is_connected(graph):
        return {n: (float(p[0]), float(p[1])) for n, p in nx.kamada_kawai_layout(graph).items()}
    ring = nx.circular_layout(sorted(graph.nodes, key=str))
    return {n: (float(p[0]), float(p[1])) for n, p in ring.items()}


def draw_link_chart(pdf: Any, box: tuple[float, float, float, float], stops: pd.DataFrame,
                    links: pd.DataFrame) -> None:  # fmt: skip
    """Incidents as numbered nodes (the map's numbers), hits solid, leads dashed, a recovered gun square."""
    x, y, w, h = box
    _frame(pdf, x, y, w, h, "Link chart (hit = solid, lead = dashed)")
    graph = nx.Graph()
    kinds = dict(zip(stops["stop"].astype(int), stops[S.INCIDENT_TYPE], strict=True))
    graph.add_nodes_from(kinds)
    edges = []
    for row in links.to_dict(orient="records"):
        far: Any = int(row["stop_b"]) if row["stop_b"] else f"gun:{row[S.FIREARM_ID]}"
        graph.add_edge(int(row["stop_a"]), far)
        edges.append((int(row["stop_a"]), far, row[S.STATUS]))
    position = _layout(graph)
    px = np.array([p[0] for p in position.values()] or [0.0])
    py = np.array([p[1] for p in position.values()] or [0.0])
    inner = (x + 5, y + 9, w - 10, h - 18)
    sx = inner[2] / max(px.max() - px.min(), 1e-9)
    sy = inner[3] / max(py.max() - py.min(), 1e-9)

    def page(node: Any) -> tuple[float, float]:
        nx_, ny_ = position[node]
        across = inner[0] + (nx_ - px.min()) * sx if px.max() > px.min() else inner[0] + inner[2] / 2
        down = inner[1] + (ny_ - py.min()) * sy if py.max() > py.min() else inner[1] + inner[3] / 2
        return across, down

    strongest: dict[frozenset[Any], str] = {}
    rank = {"hit": 3, "lead": 2, "pending": 1, "excluded": 0}
    for a, b, status in edges:
        key = frozenset((a, b))
        if rank.get(status, 0) >= rank.get(strongest.get(key, "excluded"), -1):
            strongest[key] = status
    for key, status in strongest.items():
        a, b = sorted(key, key=str) if len(key) == 2 else (next(iter(key)),) * 2
        (x1, y1), (x2, y2) = page(a), page(b)
        pdf.set_line_width(0.7 if status == "hit" else 0.45)
        pdf.set_draw_color(*(HIT_COLOUR if status == "hit" else LEAD_COLOUR))
        if status == "lead":
            pdf.set_dash_pattern(dash=1.6, gap=1.1)
        elif status != "hit":
            pdf.set_dash_pattern(dash=0.4, gap=0.8)
        pdf.line(x1, y1, x2, y2)
        pdf.set_dash_pattern()
    for node in graph.nodes:
        nx_, ny_ = page(node)
        if isinstance(node, str):
            pdf.set_fill_color(30, 30, 30)
            pdf.rect(nx_ - 2.2, ny_ - 2.2, 4.4, 4.4, style="F")
            pdf.set_font("Helvetica", "", 5.5)
            pdf.set_xy(nx_ + 2.5, ny_ - 1.5)
            pdf.cell(20, 3, latin(node.removeprefix("gun:")))
        else:
            _stop(pdf, nx_, ny_, int(node), TYPE_COLOURS.get(kinds[node], INK))
    _legend(pdf, x + 2, y + h - 5)


def _legend(pdf: Any, x: float, y: float) -> None:
    pdf.set_font("Helvetica", "", 6)
    pdf.set_draw_color(*HIT_COLOUR)
    pdf.set_line_width(0.7)
    pdf.line(x, y + 1.5, x + 6, y + 1.5)
    pdf.set_xy(x + 7, y)
    pdf.cell(10, 3, "hit")
    pdf.set_draw_color(*LEAD_COLOUR)
    pdf.set_line_width(0.45)
    pdf.set_dash_pattern(dash=1.6, gap=1.1)
    pdf.line(x + 16, y + 1.5, x + 22, y + 1.5)
    pdf.set_dash_pattern()
    pdf.set_xy(x + 23, y)
    pdf.cell(22, 3, "lead (unconfirmed)")
    pdf.set_fill_color(30, 30, 30)
    pdf.rect(x + 47, y + 0.3, 2.4, 2.4, style="F")
    pdf.set_xy(x + 50, y)
    pdf.cell(14, 3, "recovered gun")


def draw_timeline(pdf: Any, box: tuple[float, float, float, float], stops: pd.DataFrame) -> None:
    """Shootings on a date axis, numbered as on the map, coloured by type."""
    x, y, w, h = box
    _frame(pdf, x, y, w, h, "Timeline")
    when = pd.to_datetime(stops[S.LOCAL_TIME])
    start, end = when.min().normalize(), when.max().normalize() + pd.Timedelta(days=1)
    days = max((end - start).days, 1)
    left, right, axis = x + 6, x + w - 6, y + h - 8
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(left, axis, right, axis)
    pdf.set_font("Helvetica", "", 6)
    for tick in np.linspace(0, days, num=min(6, days + 1)):
        tx = left + (right - left) * tick / days
        pdf.line(tx, axis, tx, axis + 1)
        label = (start + pd.Timedelta(days=float(tick))).strftime("%Y-%m-%d")
        pdf.set_xy(tx - 10, axis + 1.2)
        pdf.cell(20, 3, label, align="C")
    levels = [axis - 4, axis - 9, axis - 14]
    for i, (moment, number, kind) in enumerate(zip(when, stops["stop"], stops[S.INCIDENT_TYPE], strict=True)):
        tx = left + (right - left) * ((moment - start).total_seconds() / 86400) / days
        ty = levels[i % len(levels)]
        pdf.set_draw_color(170, 170, 170)
        pdf.set_line_width(0.15)
        pdf.line(tx, ty, tx, axis)
        _stop(pdf, tx, ty, int(number), TYPE_COLOURS.get(kind, INK), radius=2.0)
