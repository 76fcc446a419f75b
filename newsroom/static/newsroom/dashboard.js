// Draws the dashboard's incidents-per-week chart with the vendored Chart.js.
(function () {
  "use strict";
  var canvas = document.getElementById("incidents-per-week");
  var source = document.getElementById("incidents-per-week-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var chart = JSON.parse(source.textContent);
  window.incidentsChart = new Chart(canvas, {
    type: "bar",
    data: chart,
    options: {
      animation: false,
      responsive: true,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
