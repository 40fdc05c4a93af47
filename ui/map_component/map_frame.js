/*
 * brassmap's live map, inside its sandboxed frame (written for this project;
 * no third-party code).
 *
 * This page runs in an <iframe sandbox="allow-scripts"> with no same-origin
 * right: even a payload that got past the escaping could not reach the
 * dashboard, its cookies or its storage. It keeps one Leaflet map and
 * swaps its layers whenever the component frame (its parent) posts a new
 * spec from geo.map_spec.map_spec. Layers are drawn by the same
 * brassmap.<builder>(payload) functions as the standalone map; payloads are
 * parsed with JSON.parse (never evaluated) and only the builders listed
 * below may be called. Clicks on objects are posted back to the parent.
 */
(function () {
  "use strict";
  var BUILDERS = ["incidents", "links", "seriesPath", "firearms", "hexagons", "heat", "areas"];
  var CONTROLS = ["legend", "note"];
  var state = { map: null, drawn: [], controls: [], layerControl: null, version: null, open: null, clearing: false };

  function tell(message) {
    window.parent.postMessage(message, "*");
  }

  function clicked(event) {
    var layer = event.layer || {};
    var where = layer.getLatLng ? layer.getLatLng() : event.latlng;
    var incident = typeof layer.brassmapId === "string" ? layer.brassmapId : null;
    // the clicked incident's popup is opened again after the redraw its pick causes
    state.open = incident;
    if (where) {
      tell({ brassmap: "clicked", lat: where.lat, lng: where.lng, incident: incident });
    }
  }

  function reopen() {
    if (!state.open) {
      return;
    }
    var wanted = state.open;
    state.drawn.forEach(function (layer) {
      if (!state.map.hasLayer(layer) || !layer.eachLayer) {
        return;
      }
      layer.eachLayer(function (marker) {
        if (marker.brassmapId === wanted && marker.openPopup && !marker.isPopupOpen()) {
          marker.openPopup();
        }
      });
    });
  }

  function clear() {
    state.clearing = true;
    state.drawn.forEach(function (layer) {
      layer.off("click", clicked);
      state.map.removeLayer(layer);
    });
    state.controls.forEach(function (control) {
      control.remove();
    });
    if (state.layerControl) {
      state.layerControl.remove();
    }
    state.drawn = [];
    state.controls = [];
    state.layerControl = null;
    state.clearing = false;
    var registry = window.brassmap.drawn;
    for (var name in registry) {
      delete registry[name];
    }
  }

  function draw(spec, height) {
    var L = window.L;
    var container = document.getElementById("map");
    container.style.height = height + "px";
    if (!state.map) {
      state.map = L.map(container, {
        center: spec.view.center,
        zoom: spec.view.zoom,
        minZoom: spec.view.minZoom,
        maxZoom: spec.view.maxZoom,
      });
      L.control.scale().addTo(state.map);
      state.map.on("popupclose", function () {
        if (!state.clearing) {
          state.open = null; // closed by the analyst: not opened again
        }
      });
      window.brassmapMap = state.map; // the open map, for tests and analysts' tools (the standalone page has map_<id>)
    } else {
      state.map.invalidateSize();
    }
    clear();
    var overlays = {};
    if (spec.tiles) {
      var tiles = L.tileLayer(spec.tiles.url, { attribution: spec.tiles.attribution, maxZoom: spec.tiles.maxZoom });
      if (spec.tiles.show) {
        tiles.addTo(state.map);
      }
      overlays[spec.tiles.name] = tiles;
      state.drawn.push(tiles);
    }
    spec.layers.forEach(function (item) {
      if (BUILDERS.indexOf(item.builder) < 0) {
        return;
      }
      var layer = window.brassmap[item.builder](JSON.parse(item.payload));
      layer.on("click", clicked);
      if (item.show) {
        layer.addTo(state.map);
      }
      overlays[item.name] = layer;
      state.drawn.push(layer);
    });
    if (spec.fit) {
      state.map.fitBounds(spec.fit.bounds, spec.fit.options);
    } else {
      state.map.setView(spec.view.center, spec.view.zoom);
    }
    spec.controls.forEach(function (item) {
      if (CONTROLS.indexOf(item.kind) >= 0) {
        state.controls.push(window.brassmap[item.kind](state.map, JSON.parse(item.spec)));
      }
    });
    if (spec.layerControl) {
      // Folded to its button on a short map (as the legend is), so it hides no markers of a small series.
      var folded = height < 560;
      state.layerControl = L.control.layers({}, overlays, { collapsed: folded }).addTo(state.map);
    }
    reopen();
    state.version = spec.version;
    container.setAttribute("data-brassmap-version", spec.version);
    tell({ brassmap: "drawn", version: spec.version });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.brassmap !== "draw" || !data.spec) {
      return;
    }
    if (data.spec.version === state.version) {
      return;
    }
    try {
      draw(data.spec, data.height);
    } catch (error) {
      tell({ brassmap: "problem", text: "The map could not be drawn: " + error.message });
    }
  });
  tell({ brassmap: "ready" });
})();
