"""Page layout that fits a laptop screen (1366×768): the map is in view without scrolling.

Streamlit's defaults leave 96 px above a 44 px title, and 36 px headline
numbers; on a 768 px screen that pushes the map's top past 470 px. One
stylesheet, added once per run by :func:`compact_page`, tightens the top of the
page, the title, the banners and the headline numbers. Nothing else is
restyled. ``tests/browser/test_browser_layout.py`` measures the result at
1366×768 and 1920×1080.
"""

from __future__ import annotations

import streamlit as st

PAGE_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem; padding-bottom: 3rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; padding: 0.25rem 0 0.1rem 0; }
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] > div { padding: 0.45rem 0.9rem; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }
"""


def compact_page() -> None:
    """Add the page's stylesheet (a ``<style>`` only: it takes no room on the page)."""
    st.html(f"<style>{PAGE_CSS}</style>")
