"""Timeliness in the Leads tab: headline figures, a monthly trend, per-city figures and the overdue list."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from linking.kpis import TARGET_DAYS, timeliness
from ui.context import PageContext

TREND = {"shooting_to_lead": "Shooting -> lead", "lead_to_disseminated": "Lead -> dissemination"}


def kpis_section(ctx: PageContext, leads: pd.DataFrame, today: date) -> None:
    """Draw the timeliness figures for the sidebar's cities and dates (lead dates)."""
    figures = timeliness(leads, today=today, cities=ctx.filters.cities, since=ctx.filters.date_from,
                         until=ctx.filters.date_to)  # fmt: skip
    st.markdown(f"**Timeliness** ({figures['leads']:,} leads with a lead date; days are calendar days in "
                f"each city's time zone; target {TARGET_DAYS} days; definitions in the README)")  # fmt: skip
    cells = st.columns(4)
    for cell, (label, key) in zip(cells, (
        ("Median days shooting -> lead", "median_days_shooting_to_lead"),
        (f"Shooting -> lead within {TARGET_DAYS} days", "share_shooting_to_lead_within_2_days"),
        ("Median days lead -> dissemination", "median_days_lead_to_disseminated"),
        ("Median days lead -> confirmation", "median_days_lead_to_confirmed"),
    ), strict=True):  # fmt: skip
        value = figures[key]
        text = "-" if value is None else (f"{value:.0%}" if key.startswith("share") else f"{value:g}")
        cell.metric(label, text)
    by_month = pd.DataFrame(figures["by_month"])
    if not by_month.empty:
        trend = by_month.set_index("month")[[f"median_days_{k}" for k in TREND]]
        trend.columns = list(TREND.values())
        st.line_chart(trend, height=220, y_label="median days", x_label="month of the lead date")
    by_city = pd.DataFrame(figures["by_city"])
    if not by_city.empty:
        st.dataframe(by_city, hide_index=True, width="stretch")
    overdue = pd.DataFrame(figures["overdue"])
    st.markdown(f"**Leads older than {TARGET_DAYS} days that nobody has disseminated**: {len(overdue):,}")
    if not overdue.empty:
        st.dataframe(overdue, hide_index=True, width="stretch", height=220)
