"""Pure link code: filters and selection, the incident graph, series, metrics, layouts, exports.

Modules (import what you need; nothing here imports streamlit or opens files):

``linking.filters``    :class:`Filters` - what the analyst asked to see (URL round trip)
``linking.selection``  :func:`select` - THE code path for dashboard, CLI and exports
``linking.series``     components on integer codes, stable ``S-<first incident>`` ids, series table
``linking.graph``      :func:`build_incident_graph`, :func:`graph_for_selection` (networkx)
``linking.metrics``    degree, betweenness, articulation points, per-city counts
``linking.layouts``    packed series, geographic and chronological positions
``linking.payload``    :func:`graph_payload` - compact JSON-ready graph for the browser
``linking.exports``    ``EXPORTERS`` registry: graphml, gexf, json, csv, geojson, kml, html
``python -m linking``  ``export`` and ``series`` commands (:mod:`linking.cli`)
"""
