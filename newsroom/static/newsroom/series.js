// The series pages' charts (stance, forces, incidents per week) with the vendored
// Chart.js; a click on a point opens the incident behind it.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  window.seriesCharts = { forces: [] };
  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function day(ms) { return new Date(ms).toISOString().slice(0, 10); }
  var timeAxis = { type: "linear", ticks: { callback: function (v) { return day(v); }, maxTicksLimit: 8 } };
  function openOnClick(chart, event) {
    var hits = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, true);
    if (!hits.length) { return; }
    var point = chart.data.datasets[hits[0].datasetIndex].data[hits[0].index];
    if (point && point.url) { window.location.href = point.url; }
  }
  var COLOURS = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d35400", "#34495e"];

  var stance = read("stance-data");
  var stanceCanvas = document.getElementById("stance-chart");
  if (stance && stanceCanvas) {
    var datasets = Object.keys(stance.lines).map(function (label, i) {
      return {
        label: label, showLine: true, borderColor: COLOURS[i], backgroundColor: COLOURS[i],
        pointRadius: 5, pointHoverRadius: 8,
        data: stance.lines[label].map(function (p) {
          return { x: Date.parse(p.x), y: p.y, url: p.url, id: p.id, type: p.type };
        })
      };
    });
    window.seriesCharts.stance = new Chart(stanceCanvas, {
      type: "scatter", data: { datasets: datasets },
      options: {
        animation: false, onClick: function (e) { openOnClick(this, e); },
        scales: { x: timeAxis, y: { min: -10, max: 10 } },
        plugins: { tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + ": " + c.raw.y + " after " + c.raw.type + " on " + day(c.raw.x);
        } } } }
      }
    });
  }

  var forces = read("force-series-data") || [];
  document.querySelectorAll("canvas.force-chart").forEach(function (canvas) {
    var s = forces[Number(canvas.dataset.index)];
    if (!s) { return; }
    function line(name) {
      return s.steps.map(function (p) { return { x: Date.parse(p.x), y: p[name], url: p.url, kind: p.kind }; });
    }
    window.seriesCharts.forces.push(new Chart(canvas, {
      type: "scatter",
      data: { datasets: [
        { label: "low", data: line("low"), showLine: true, stepped: true, borderColor: "#2e86c1", pointRadius: 4 },
        { label: "high", data: line("high"), showLine: true, stepped: true, borderColor: "#2e86c1",
          backgroundColor: "rgba(46,134,193,0.2)", fill: "-1", pointRadius: 4 }
      ] },
      options: {
        animation: false, onClick: function (e) { openOnClick(this, e); },
        scales: { x: timeAxis, y: { beginAtZero: true } },
        plugins: { tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + " " + c.raw.y + " after " + c.raw.kind + " on " + day(c.raw.x);
        } } } }
      }
    }));
  });

  var weekly = read("weekly-data");
  var weeklyCanvas = document.getElementById("weekly-chart");
  if (weekly && weeklyCanvas && weekly.labels.length) {
    window.seriesCharts.weekly = new Chart(weeklyCanvas, {
      type: "bar", data: { labels: weekly.labels, datasets: weekly.datasets },
      options: {
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
})();
