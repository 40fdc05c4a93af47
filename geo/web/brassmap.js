/*
 * brassmap map helpers (written for this project; no third-party code).
 *
 * Every map layer is built here from one compact JSON payload, so the page
 * never holds one folium object per incident. Strings in payloads were
 * escaped on the server (geo.escape.escape_text): they are HTML text with
 * & < > " ' \ ` $ already encoded, so building popups by concatenation keeps
 * them inert. Numbers are forced through Number() and colours through a
 * strict pattern before they reach markup.
 *
 * Everything is drawn as SVG (at most max_points incidents and a capped
 * number of links reach the page), so each incident is one
 * path.brassmap-incident in the DOM that tests and analysts' tools can count.
 */
(function (global) {
  "use strict";
  var L = global.L;
  // The one list of layer builders: geo.map_spec reads this line, brassmap_draw.js calls only these.
  var BUILDERS = ["incidents", "links", "seriesPath", "firearms", "hexagons", "heat", "areas"];
  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;

  function colour(value, fallback) {
    return COLOUR.test(String(value)) ? String(value) : fallback;
  }

  function num(value) {
    var n = Number(value);
    return isFinite(n) ? n : 0;
  }

  function dash(value) {
    return /^[0-9 ]+$/.test(String(value || "")) ? String(value) : null;
  }

  /* The one popup function: rows of [escaped label, escaped value]. */
  function popupHtml(title, rows) {
    var html = '<div class="brassmap-popup">';
    if (title) {
      html += '<div class="brassmap-popup-title">' + title + "</div>";
    }
    html += "<table>";
    for (var i = 0; i < rows.length; i++) {
      var value = rows[i][1];
      if (value === null || value === undefined || value === "") {
        continue;
      }
      html += "<tr><th>" + rows[i][0] + "</th><td>" + value + "</td></tr>";
    }
    return html + "</table></div>";
  }

  /* Row i of a columnar table: [label, values, lookup|null] per field. */
  function fieldRows(fields, i) {
    var rows = [];
    for (var f = 0; f < fields.length; f++) {
      var values = fields[f][1];
      var lookup = fields[f][2];
      var value = values[i];
      if (lookup && value !== null && value !== undefined) {
        value = value >= 0 ? lookup[value] : null;
      }
      rows.push([fields[f][0], value]);
    }
    return rows;
  }

  /* Incident coordinates travel as integers (1e-5 degree steps) from a base point. */
  function pointOf(data, i) {
    return [num(data.lat0) + num(data.y[i]) / 1e5, num(data.lon0) + num(data.x[i]) / 1e5];
  }

  /* The Leaflet pane a builder draws into (drawSpec stacks them; default: the overlay pane). */
  function paneOf(opts) {
    return (opts && opts.pane) || "overlayPane";
  }

  function incidents(data, opts) {
    var group = L.featureGroup();
    var n = data.x.length;
    var faded = {};
    (data.faded || []).forEach(function (row) {
      faded[row] = true;
    });
    var ids = data.idField >= 0 && data.fields[data.idField] ? data.fields[data.idField][1] : null;
    var picking = data.pickedSeries !== undefined && data.pickedSeries !== null;
    for (var i = 0; i < n; i++) {
      var t = data.type[i];
      var s = data.series[i];
      var style = data.typeStyles[t] || [5, "#333333"];
      var outside = faded[i] === true; // a shooting of a series in view, outside the filter
      var other = picking && (s < 0 || s !== num(data.pickedSeries)); // not the picked series: faded behind it
      var classes =
        "brassmap-incident" + (outside ? " brassmap-outside" : "") + (other ? " brassmap-other-series" : "");
      var marker = L.circleMarker(pointOf(data, i), {
        radius: num(style[0]),
        color: colour(style[1], "#333333"),
        weight: 1,
        opacity: other ? 0.2 : outside ? 0.35 : 1,
        fillColor: colour(s >= 0 ? data.seriesColours[s] : data.unlinkedColour, "#9e9e9e"),
        fillOpacity: other ? 0.12 : outside ? 0.25 : 0.85,
        className: classes,
        pane: paneOf(opts),
      });
      marker.brassmapId = ids ? ids[i] : null; // escaped id text: the click names the incident
      marker.bindPopup(incidentPopup(data, i));
      if (data.tip && data.tip.length) {
        marker.bindTooltip(tooltipHtml(data, i));
      }
      group.addLayer(marker);
    }
    group.brassmapCount = n;
    return group;
  }

  /* Hover text: the escaped values of the fields listed in data.tip, joined. */
  function tooltipHtml(data, i) {
    var rows = fieldRows(data.fields, i);
    var parts = [];
    for (var k = 0; k < data.tip.length; k++) {
      var row = rows[data.tip[k]];
      if (row && row[1] !== null && row[1] !== undefined && row[1] !== "") {
        parts.push(row[1]);
      }
    }
    return parts.join(" &middot; ");
  }

  function incidentPopup(data, i) {
    return function () {
      return popupHtml(data.title, fieldRows(data.fields, i));
    };
  }

  function links(data, opts) {
    var group = L.featureGroup();
    var n = data.status.length;
    // with a picked series, its links are the first pickedLinks; the others are faded behind them
    var picked = data.pickedLinks === undefined || data.pickedLinks === null ? n : num(data.pickedLinks);
    for (var i = 0; i < n; i++) {
      var style = data.styles[data.status[i]];
      var other = i >= picked;
      var c = data.coords;
      var line = L.polyline(
        [
          [c[4 * i + 1], c[4 * i]],
          [c[4 * i + 3], c[4 * i + 2]],
        ],
        {
            color: colour(style[0], "#000000"),
          dashArray: dash(style[1]),
          weight: num(style[2]) || 2,
          opacity: other ? 0.15 : 0.9,
          className:
            "brassmap-link brassmap-link-" + (style[1] ? "dashed" : "solid") + (other ? " brassmap-other-series" : ""),
          pane: paneOf(opts),
        }
      );
      line.bindPopup(linkPopup(data, i));
      group.addLayer(line);
    }
    group.brassmapCount = n;
    return group;
  }

  function linkPopup(data, i) {
    return function () {
      return popupHtml(data.title, fieldRows(data.fields, i));
    };
  }

  function seriesPath(data, opts) {
    var group = L.featureGroup();
    var latlngs = [];
    for (var i = 0; i < data.x.length; i++) {
      latlngs.push(pointOf(data, i));
    }
    var line = L.polyline(latlngs, {
      color: colour(data.colour, "#000000"),
      weight: 4,
      opacity: 0.8,
      className: "brassmap-series-path",
      pane: paneOf(opts),
    });
    group.addLayer(line);
    for (var k = 0; k < latlngs.length; k++) {
      var stop = L.marker(latlngs[k], {
        icon: L.divIcon({
          className: "brassmap-stop",
          html: '<span style="background:' + colour(data.colour, "#000000") + '">' + (k + 1) + "</span>",
          iconSize: [22, 22],
          iconAnchor: [11, 11],
        }),
        keyboard: false,
      });
      stop.brassmapStop = true; // brassmap_draw.js moves overlapping stops apart
      stop.bindPopup(incidentPopup(data, k));
      group.addLayer(stop);
      if (k > 0) {
        group.addLayer(arrowHead(latlngs[k - 1], latlngs[k], data.colour));
      }
    }
    group.brassmapCount = latlngs.length;
    return group;
  }

  /* A small arrow at the middle of a segment, pointing to the later stop. */
  function arrowHead(from, to, stroke) {
    var mid = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
    var angle = (Math.atan2(to[0] - from[0], to[1] - from[1]) * 180) / Math.PI;
    return L.marker(mid, {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: "brassmap-arrow",
        html:
          '<span style="transform:rotate(' + num(-angle) + "deg);color:" + colour(stroke, "#000000") +
          '">&#10148;</span>',
        iconSize: [16, 16],
        iconAnchor: [8, 8],
      }),
    });
  }

  function firearms(data) {
    var group = L.featureGroup();
    for (var i = 0; i < data.x.length; i++) {
      var marker = L.marker(pointOf(data, i), {
        icon: L.divIcon({ className: "brassmap-firearm", iconSize: [14, 14], iconAnchor: [7, 7] }),
        keyboard: false,
      });
      marker.bindPopup(incidentPopup(data, i));
      group.addLayer(marker);
    }
    group.brassmapCount = data.x.length;
    return group;
  }

  function ramp(data, count) {
    var top = Math.log(1 + num(data.max));
    var share = top > 0 ? Math.log(1 + num(count)) / top : 0;
    var index = Math.min(data.ramp.length - 1, Math.floor(share * data.ramp.length));
    return { fill: colour(data.ramp[index], "#ffeda0"), share: share };
  }

  /* Polygons from flat vertex lists [lon0, lat0, lon1, lat1, ...]. */
  function ring(flat) {
    var out = [];
    for (var i = 0; i + 1 < flat.length; i += 2) {
      out.push([flat[i + 1], flat[i]]);
    }
    return out;
  }

  function hexagons(data, opts) {
    var group = L.featureGroup();
    var interactive = data.interactive !== false; // over points they let clicks through to the incidents
    for (var i = 0; i < data.cells.length; i++) {
      var count = num(data.counts[i]);
      var shade = ramp(data, count);
      var poly = L.polygon(ring(data.cells[i]), {
        color: "#555555",
        weight: 1,
        fillColor: shade.fill,
        fillOpacity: interactive ? 0.35 + 0.45 * shade.share : 0.2 + 0.35 * shade.share,
        className: "brassmap-hexagon",
        interactive: interactive,
        pane: paneOf(opts),
      });
      if (interactive) {
        poly.bindTooltip(count + " " + data.unit);
      }
      poly.brassmapCount = count; // the live map estimates how many incidents a view holds
      group.addLayer(poly);
    }
    group.brassmapCount = data.cells.length;
    return group;
  }

  function heat(data, opts) {
    var group = L.featureGroup();
    for (var i = 0; i < data.cells.length; i++) {
      var shade = ramp(data, data.counts[i]);
      group.addLayer(
        L.polygon(ring(data.cells[i]), {
          stroke: false,
          interactive: false,
          fillColor: shade.fill,
          fillOpacity: 0.12 + 0.5 * shade.share,
          className: "brassmap-heat",
          pane: paneOf(opts),
        })
      );
    }
    group.brassmapCount = data.cells.length;
    return group;
  }

  function areas(data, opts) {
    var layer = L.geoJSON(data.features, {
      pane: paneOf(opts),
      style: function () {
        return {
          color: colour(data.colour, "#3b3b3b"),
          weight: num(data.weight) || 2,
          fill: true,
          fillOpacity: 0.03,
          className: "brassmap-area",
        };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties || {};
        shape.bindTooltip(p.n + ": " + num(p.c) + " " + data.unit, { sticky: true });
      },
    });
    layer.brassmapCount = data.features.length;
    return layer;
  }

  function swatch(item) {
    if (item.kind === "text") {
      return "";
    }
    var c = colour(item.colour, "#000000");
    if (item.kind === "line") {
      var d = dash(item.dash);
      return (
        '<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="' + c +
        '" stroke-width="3"' + (d ? ' stroke-dasharray="' + d + '"' : "") + "/></svg>"
      );
    }
    if (item.kind === "square") {
      return '<svg width="34" height="14"><rect x="10" y="1" width="12" height="12" fill="' + c +
        '" stroke="#000"/></svg>';
    }
    var r = Math.max(2, Math.min(7, num(item.radius) || 5));
    return (
      '<svg width="34" height="16"><circle cx="17" cy="8" r="' + r + '" fill="' + c +
      '" stroke="' + colour(item.stroke, "#333333") + '"/></svg>'
    );
  }

  /* The legend control; options.open (default: open on a map at least 560 px tall). */
  function legend(map, spec, options) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "brassmap-legend");
      // Open on a tall map (standalone page); folded on a short one (dashboard panel) so it hides no markers.
      var wanted = options && options.open !== undefined ? options.open : map.getSize().y >= 560;
      var open = wanted ? " open" : "";
      var html = "<details" + open + '><summary class="brassmap-legend-title">' + spec.title + "</summary>";
      for (var s = 0; s < spec.sections.length; s++) {
        var section = spec.sections[s];
        html += '<div class="brassmap-legend-section">' + section.title + "</div>";
        for (var i = 0; i < section.items.length; i++) {
          var item = section.items[i];
          html += '<div class="brassmap-legend-item">' + swatch(item) + "<span>" + item.label + "</span></div>";
        }
      }
      div.innerHTML = html + "</details>";
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
    return control;
  }

  function note(map, spec) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "brassmap-note");
      div.innerHTML = spec.lines.join("<br>");
      return div;
    };
    control.addTo(map);
    return control;
  }

  /* Every layer built on this page, by builder name (for the dashboard and tests). */
  var drawn = {};
  function registered(name, build) {
    return function (data, opts) {
      var layer = build(data, opts);
      (drawn[name] = drawn[name] || []).push(layer);
      return layer;
    };
  }

  var impl = {
    incidents: incidents,
    links: links,
    seriesPath: seriesPath,
    firearms: firearms,
    hexagons: hexagons,
    heat: heat,
    areas: areas,
  };
  var builders = {};
  BUILDERS.forEach(function (name) {
    builders[name] = registered(name, impl[name]);
  });

  global.brassmap = {
    BUILDERS: BUILDERS,
    builders: builders,
    drawn: drawn,
    popupHtml: popupHtml,
    legend: legend,
    note: note,
  };
  BUILDERS.forEach(function (name) {
    global.brassmap[name] = builders[name]; // brassmap.incidents(payload) etc., as before
  });
})(window);
