/*
 * brassmap's live map, inside its sandboxed frame (written for this project;
 * no third-party code).
 *
 * This page runs in an <iframe sandbox="allow-scripts"> with no same-origin
 * right: even a payload that got past the escaping could not reach the
 * dashboard, its cookies or its storage. It keeps one Leaflet map and
 * swaps its layers whenever the component frame (its parent) posts a new
 * spec (geo.map_spec.MapSpec.to_live). Layers are drawn by the same
 * brassmap.drawSpec as the standalone map; payloads are parsed with
 * JSON.parse (never evaluated) and only the builders listed in
 * brassmap.BUILDERS may be called. Clicks on objects, and the layers and view
 * the analyst chose, are posted back to the parent.
 */
(function () {
  "use strict";
  var state = { map: null, drawn: [], version: null, open: null, clearing: false, stateTimer: null, sentState: null };

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

  function draw(spec, height) {
    var L = window.L;
    var container = document.getElementById("map");
    document.body.style.height = height + "px";
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
      window.brassmap.onState(state.map, reportState);
      window.brassmapMap = state.map; // the open map, for tests and analysts' tools (the standalone page too)
    } else {
      state.map.invalidateSize();
    }
    state.clearing = true;
    state.drawn.forEach(function (layer) {
      layer.off("click", clicked);
    });
    state.drawn = [];
    try {
      // Legend and layer control fold to a button on a short map, so they hide no markers of a small series.
      window.brassmap.drawSpec(state.map, spec, {
        folded: height < 560,
        onLayer: function (layer) {
          layer.on("click", clicked);
          state.drawn.push(layer);
        },
      });
    } finally {
      state.clearing = false;
    }
    reopen();
    state.spec = { mode: spec.mode, pointThreshold: spec.pointThreshold, inView: !!spec.inView };
    state.version = spec.version;
    container.setAttribute("data-brassmap-version", spec.version);
    tell({ brassmap: "drawn", version: spec.version });
    reportState(window.brassmap.mapState(state.map));
  }

  /* Incidents in the view, estimated from the hexagon counts (cell centres inside the bounds). */
  function estimateInView(bounds) {
    var total = 0;
    (window.brassmap.drawn.hexagons || []).forEach(function (group) {
      group.eachLayer(function (cell) {
        var centre = cell.getBounds().getCenter();
        if (centre.lat >= bounds[0] && centre.lat <= bounds[2] && centre.lng >= bounds[1] && centre.lng <= bounds[3]) {
          total += Number(cell.brassmapCount) || 0;
        }
      });
    });
    return total;
  }

  /*
   * Layers the analyst switched and the view, sent up (debounced). The parent keeps them in the page URL
   * without a rerun. Only a hexagon map that is zoomed in near the point threshold (or that already shows
   * the points of a view) asks the server for the points of the new view.
   */
  function reportState(mapState) {
    clearTimeout(state.stateTimer);
    state.stateTimer = setTimeout(function () {
      var text = JSON.stringify(mapState);
      if (text === state.sentState) {
        return;
      }
      state.sentState = text;
      tell({ brassmap: "state", state: { layers: mapState.layers, view: mapState.view } });
      var spec = state.spec;
      if (!spec || spec.mode !== "hexagons") {
        return;
      }
      var near = estimateInView(mapState.bounds) <= 1.5 * Number(spec.pointThreshold);
      if (near || spec.inView) {
        tell({ brassmap: "view", bounds: mapState.bounds, area: mapState.area });
      }
    }, 400);
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
