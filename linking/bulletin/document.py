"""Lay the bulletin out on Letter pages with fpdf2: marking, caution, summary, figures, tables, provenance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from data import schema as S
from linking.bulletin.content import BulletinContent
from linking.bulletin.figures import INK, draw_link_chart, draw_map, draw_timeline, latin

MARKING = "LAW ENFORCEMENT SENSITIVE"
MARGIN = 12.0
TYPE_LABELS = {"homicide": "Homicide", "non_fatal_shooting": "Non-fatal", "shots_fired": "Shots fired",
               "gunfire_alert": "Gunfire alert"}  # fmt: skip


class _Page(FPDF):
    """Letter pages with the marking in the header and footer of every page."""

    def __init__(self, series_id: str) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.series_id = series_id
        self.set_margins(MARGIN, 16, MARGIN)
        self.set_auto_page_break(auto=True, margin=16)

    def header(self) -> None:
        self.set_font("Helvetica", "B", 9)
        self.set_text_color(170, 20, 20)
        self.set_xy(MARGIN, 6)
        self.cell(self.w - 2 * MARGIN, 5, MARKING, align="C")
        self.set_text_color(*INK)
        self.set_y(16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "B", 8)
        self.set_text_color(170, 20, 20)
        self.cell(0, 4, MARKING, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 6.5)
        self.set_text_color(*INK)
        self.cell(0, 3, latin(f"Series {self.series_id} - page {self.page_no()} of {{nb}} - "
                              "a NIBIN lead is not an identification"), align="C")  # fmt: skip


def _day(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _caution(pdf: FPDF, synthetic: bool) -> None:
    pdf.set_fill_color(255, 243, 205)
    pdf.set_draw_color(200, 150, 40)
    pdf.set_font("Helvetica", "B", 8)
    text = f"CAUTION: {S.LEAD_DISCLAIMER} Lead links are dashed, hits solid."
    if synthetic:
        text += f" {S.SYNTHETIC_LABEL}."
    pdf.multi_cell(0, 4, latin(text), border=1, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _summary(pdf: FPDF, content: BulletinContent) -> None:
    s = content.summary
    lines = [
        f"Shootings: {s['shootings']} ({s['killed']} killed, {s['injured']} injured) from {s['first']} to "
        f"{s['last']} ({s['span_days']} days)",
        f"Cities: {', '.join(s['cities'])}.  Agencies: {', '.join(s['agencies']) or 'not recorded'}",
        f"Links: {s['leads']} leads (unconfirmed) and {s['hits']} hits (examiner-confirmed)",
        "Recovered gun: " + ("; ".join(content.firearms) if content.firearms else "none linked"),
    ]
    pdf.set_font("Helvetica", "", 8)
    for line in lines:
        pdf.multi_cell(0, 4, latin(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: tuple[float, ...]) -> None:
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.1)
    heading = FontFace(emphasis="BOLD", fill_color=(232, 232, 232))
    with pdf.table(col_widths=widths, line_height=3.1, first_row_as_headings=True,
                   headings_style=heading, padding=0.6) as table:  # fmt: skip
        head = table.row()
        for text in header:
            head.cell(latin(text))
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(latin(text))


def _incident_rows(stops: pd.DataFrame) -> tuple[list[str], list[list[str]], tuple[float, ...]]:
    header = ["#", "Incident", "Local date/time", "City", "Type", "K/I", "Agency", "Address (block)"]
    rows = [[str(r["stop"]), r[S.INCIDENT_ID], pd.Timestamp(r[S.LOCAL_TIME]).strftime("%Y-%m-%d %H:%M"),
             r[S.CITY], TYPE_LABELS.get(r[S.INCIDENT_TYPE], r[S.INCIDENT_TYPE]),
             f"{r[S.KILLED]}/{r[S.INJURED]}", r[S.AGENCY], r[S.ADDRESS]]
            for r in stops.to_dict(orient="records")]  # fmt: skip
    widths: tuple[float, ...] = (6, 28, 26, 20, 18, 9, 22, 63)
    if S.NARRATIVE in stops.columns:
        header.append("Narrative (sensitive)")
        for row, text in zip(rows, stops[S.NARRATIVE], strict=True):
            row.append(str(text))
        widths = (6, 24, 24, 17, 16, 8, 18, 40, 39)
    return header, rows, widths


def _link_rows(links: pd.DataFrame) -> list[list[str]]:
    rows = []
    for r in links.to_dict(orient="records"):
        far = f"#{r['stop_b']}" if r["stop_b"] else f"gun {r[S.FIREARM_ID]}"
        sent = _day(r.get(S.DISSEMINATED_DATE))
        to = r.get(S.DISSEMINATED_TO)
        if sent and isinstance(to, str) and to:
            sent += f" to {to}"
        rows.append([r[S.STATUS].upper() if r[S.STATUS] == "hit" else r[S.STATUS], r[S.LEAD_NUMBER] or "-",
                     r[S.LINK_ID], f"#{r['stop_a']} - {far}", _day(r[S.LEAD_DATE]), _day(r[S.CONFIRMED_DATE]),
                     sent or "-"])  # fmt: skip
    return rows


MAX_PAGES = 2
MORE_NOTE = "see the export (Exports tab, or python -m linking export) for the full table"


def render(content: BulletinContent) -> bytes:
    """The bulletin as PDF bytes (deterministic for the same content and generation time).

    It holds to :data:`MAX_PAGES` pages: when the full tables do not fit (a
    series of 30 or more shootings), both tables are cut to the most rows
    that fit, each followed by "and N more"; the shootings not tabled are
    still listed by number and incident id, so every member is named.
    """
    pdf = _layout(content, None)
    if pdf.page <= MAX_PAGES:
        return bytes(pdf.output())
    # the most rows per table that fit; 0 rows (every shooting still named below the table) is the floor
    low, high = 0, max(len(content.stops), len(content.links))
    while low + 1 < high:
        middle = (low + high) // 2
        if _layout(content, middle).page <= MAX_PAGES:
            low = middle
        else:
            high = middle
    return bytes(_layout(content, low).output())


def _more_shootings(stops: pd.DataFrame) -> str:
    named = ", ".join(f"#{r['stop']} {r[S.INCIDENT_ID]}" for r in stops.to_dict(orient="records"))
    return f"... and {len(stops)} more shootings, not tabled ({MORE_NOTE}): {named}"


def _more_note(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "I", 6.5)
    pdf.multi_cell(0, 3.1, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _layout(content: BulletinContent, limit: int | None) -> _Page:
    """Lay the bulletin out, the tables cut to ``limit`` rows each (``None``: every row)."""
    pdf = _Page(content.series_id)
    stamp = datetime.strptime(content.provenance["generated_at"], "%Y-%m-%d %H:%M UTC")
    pdf.set_creation_date(stamp)
    pdf.set_title(latin(f"brassmap bulletin {content.series_id}"))
    pdf.set_creator("brassmap")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, latin(f"NIBIN series bulletin: {content.series_id}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _caution(pdf, content.provenance["synthetic"])
    _summary(pdf, content)
    top = pdf.get_y() + 1
    usable = pdf.w - 2 * MARGIN
    draw_map(pdf, (MARGIN, top, usable * 0.58, 92), content.stops, content.boundaries)
    draw_link_chart(pdf, (MARGIN + usable * 0.6, top, usable * 0.4, 92), content.stops, content.links)
    draw_timeline(pdf, (MARGIN, top + 95, usable, 34), content.stops)
    pdf.set_xy(MARGIN, top + 132)
    _heading(pdf, "Incidents (in time order; numbers as on the map and charts)")
    header, rows, widths = _incident_rows(content.stops)
    _table(pdf, header, rows[:limit], widths)
    if limit is not None and len(rows) > limit:
        _more_note(pdf, _more_shootings(content.stops.iloc[limit:]))
    pdf.ln(2)
    _heading(pdf, "Leads and hits")
    link_rows = _link_rows(content.links)
    _table(pdf, ["Status", "Lead number", "Link", "Incidents", "Lead date", "Confirmed", "Disseminated"],
           link_rows[:limit], (10, 28, 32, 28, 17, 17, 60))  # fmt: skip
    if limit is not None and len(link_rows) > limit:
        _more_note(pdf, f"... and {len(link_rows) - limit} more leads and hits, not tabled ({MORE_NOTE})")
    pdf.ln(2)
    _heading(pdf, "Provenance")
    p = content.provenance
    pdf.set_font("Helvetica", "", 7)
    sensitive = ("INCLUDED on request" if p["sensitive_included"]
                 else "left out (no narratives or serial numbers; block-level addresses)")  # fmt: skip
    for line in (f"Dataset version: {p['dataset_version']}", f"Filter: {p['filter']}",
                 f"Generated at: {p['generated_at']} by {p['generated_by']} with brassmap",
                 f"Sensitive fields: {sensitive}",
                 "Map drawn offline from stored city limits (no basemap). The SHA-256 of this file is "
                 "printed when it is made."):  # fmt: skip
        pdf.multi_cell(0, 3.4, latin(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf
