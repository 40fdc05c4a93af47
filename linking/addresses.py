"""Generalise street addresses to the block before they leave the dashboard (rule: :mod:`data.addresses`)."""

from __future__ import annotations

from data.addresses import generalise_address

__all__ = ["generalise_address"]
