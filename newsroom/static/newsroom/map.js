// The admin's map of incidents: Natural Earth outlines from the shipped TopoJSON (no tile
// server needed), an optional tile layer, one circle per incident coloured by type and
// sized by its dead and injured; a click opens the incident.
(function () {
  "use strict";
  var element = document.getElementById("incident-map");
  var source = document.getElementById("map-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var COLOURS = {
    attack: "#c0392b", deploy: "#2e86c1", withdraw: "#17a589", condemn: "#af7ac5",
    ultimatum: "#d35400", threaten: "#e67e22", demand: "#f1c40f", deny: "#7f8c8d",
    support: "#27ae60", agree: "#1abc9c", capture: "#8e44ad", force_level: "#34495e"
  };
  function colour(type) { return COLOURS[type] || "#555"; }
  function radius(casualties) { return 5 + 3 * Math.sqrt(casualties || 0); }

  var map = L.map(element, { worldCopyJump: true, preferCanvas: false }).setView([25, 20], 2);
  window.incidentMap = map;
  window.incidentMarkers = [];
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { attribution: data.tile_attribution || "" }).addTo(map);
  }
  var outlines = L.layerGroup().addTo(map);
  fetch(element.dataset.outlines).then(function (r) { return r.json(); }).then(function (topo) {
    var countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      style: { color: "#7a8a99", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: data.tile_url ? 0.2 : 1 },
      interactive: false
    }).addTo(outlines);
    outlines.eachLayer(function (layer) { layer.bringToBack(); });
    element.dataset.outlinesLoaded = String(countries.features.length);
  });

  var bounds = [];
  data.points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: radius(p.casualties), color: colour(p.type), weight: 2,
      fillColor: colour(p.type), fillOpacity: p.approximate ? 0 : 0.6
    }).addTo(map);
    var label = p.type + " " + (p.actor || "?") + (p.target ? " → " + p.target : "") +
      ", " + (p.place || "") + ", " + p.date +
      (p.casualties ? " (" + (p.killed || 0) + " killed, " + (p.injured || 0) + " injured)" : "");
    marker.bindTooltip(label);
    marker.on("click", function () { window.location.href = p.url; });
    marker.getElement && marker.getElement() && marker.getElement().setAttribute("data-incident", p.id);
    window.incidentMarkers.push({ id: p.id, marker: marker, url: p.url });
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 6 }); }

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend");
    var types = {};
    data.points.forEach(function (p) { types[p.type] = true; });
    Object.keys(types).sort().forEach(function (t) {
      var row = document.createElement("div");
      var dot = document.createElement("i");
      dot.style.background = colour(t);
      row.appendChild(dot);
      row.appendChild(document.createTextNode(t));
      div.appendChild(row);
    });
    return div;
  };
  legend.addTo(map);
  element.dataset.ready = "true";
})();
