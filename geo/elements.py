"""The few folium elements a brassmap map is made of.

Each element renders one line of JavaScript that hands a JSON payload (see
:mod:`geo.layers`) to a builder in ``geo/web/brassmap.js``. However many
incidents there are, a map holds one element per *layer*, never one per
incident. Payloads go through :func:`geo.escape.json_for_script`; layer names
through :func:`geo.escape.escape_text` (Leaflet's layer control shows names
as HTML).
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from geo.escape import escape_text, json_for_script

BUILDERS: frozenset[str] = frozenset(
    {"incidents", "links", "seriesPath", "firearms", "hexagons", "heat", "areas"}
)


class DataLayer(Layer):
    """One toggleable overlay drawn by ``brassmap.<builder>(payload)``.

    Parameters
    ----------
    builder : str
        Name of the builder in ``brassmap.js`` (one of :data:`BUILDERS`).
    payload : dict
        JSON-serialisable data for the builder (strings already escaped).
    name : str
        Layer name for the layer control (escaped here).
    show : bool, keyword-only
        Whether the layer is on when the map opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = brassmap.{{ this.builder }}({{ this.payload_json }});
        {% endmacro %}
        """
    )

    def __init__(self, builder: str, payload: dict[str, Any], name: str, *, show: bool = True) -> None:
        if builder not in BUILDERS:
            raise ValueError(f"unknown map layer builder {builder!r}; expected one of {sorted(BUILDERS)}")
        super().__init__(name=escape_text(name), overlay=True, control=True, show=show)
        self._name = "BrassmapLayer"
        self.builder = builder
        self.payload_json = json_for_script(payload)
        self.payload_size = len(self.payload_json.encode("utf-8"))


class MapControl(MacroElement):
    """A legend or a note box: ``brassmap.<kind>(map, spec)``.

    Parameters
    ----------
    kind : str
        ``"legend"`` or ``"note"``.
    spec : dict
        JSON-serialisable description (strings already escaped).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = brassmap.{{ this.kind }}(
                {{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, spec: dict[str, Any]) -> None:
        if kind not in {"legend", "note"}:
            raise ValueError(f"unknown map control {kind!r}; expected 'legend' or 'note'")
        super().__init__()
        self._name = "BrassmapControl"
        self.kind = kind
        self.spec_json = json_for_script(spec)


class InlineHead(Element):
    """Raw HTML for the document head (the inlined assets of a standalone map)."""

    def __init__(self, html: str) -> None:
        super().__init__(html)
        self._name = "BrassmapInlineHead"
