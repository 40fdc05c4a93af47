"""Deterministic synthetic demo data for the seven default cities, 2019-2021.

Everything generated here is labelled synthetic (``is_synthetic=True`` on
every row, "(synthetic)" in addresses, "SYN-" serials, "(synthetic demo)" in
link notes and boundary names). Nothing is read from disk: the hot spots and
simplified city outlines are typed in (:mod:`data.demo._places`).

``generate_demo`` returns frames; ``build_demo_store`` writes them into a store.
"""

from __future__ import annotations

from data.demo.generate import DemoError, generate_demo
from data.demo.store import build_demo_store

__all__ = ["DemoError", "build_demo_store", "generate_demo"]
