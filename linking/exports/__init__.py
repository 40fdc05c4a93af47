"""Exports: one module per format, one registry (:mod:`linking.exports.registry`).

Every exporter is called as ``export(selection, *, include_sensitive=False,
generalise_addresses=True)`` and returns ``bytes``.
"""

from __future__ import annotations

from linking.exports.registry import EXPORTERS, Exporter, ExportError, export_selection

__all__ = ["EXPORTERS", "ExportError", "Exporter", "export_selection"]
