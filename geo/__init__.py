"""Pure spatial code: cities, spatial joins, map building, offline assets.

Modules
-------
cities      registry of the seven default cities; any other city joins from its points
palette     series colours, lead/hit line styles, incident sizes, boundary outlines
escape      ``escape_text`` (HTML + ``\\ ` $``) and ``json_for_script`` for everything from data
hexbin      vectorised H3 hexagon counts (a million points in well under a second)
areas       incident counts per boundary polygon; repair of invalid polygons
layers      compact escaped JSON payloads for incidents, series path, firearms, hexagons, areas
link_lines  link lines (lead dashed, hit solid) with end points looked up by id
legend      the legend's sections
map_spec    the map as plain data (MapSpec: view, basemap, layers with payloads, legend, notes)
assets      Leaflet from the installed XStatic package, served from static/vendor or inlined
maps        ``build_map_spec(MapData, MapOptions) -> MapSpec``: every layer to its own byte budget
view_points the incidents of a zoomed-in view as points (level of detail follows the view)
page        ``render_page(spec)``: one HTML page, scripts allowed by hash, data in JSON blocks
standalone  ``render_standalone_html(selection) -> bytes``: one offline HTML file
web/        brassmap.js / brassmap.css, the project's own map helpers
"""
