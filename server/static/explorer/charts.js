// Charts of the explorer's sections (server/templates/explorer/_panels.html): each
// <canvas data-chart="ID" data-kind="stacked|bar|line"> draws the JSON of <script id="ID">.
(function () {
  "use strict";
  if (!window.Chart) return;
  const COLOURS = ["#0b5cad", "#e07b00", "#2a9d3f", "#c0392b", "#7d3cb5", "#8a6d3b", "#9aa3b2"];
  const charts = {};
  function draw(canvas, measure) {
    const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const kind = canvas.dataset.kind;
    const datasets = spec.series.map((s, i) => ({
      label: s.label,
      data: s[measure] || s.value,
      borderColor: COLOURS[i % COLOURS.length],
      backgroundColor: COLOURS[i % COLOURS.length] + (kind === "stacked" ? "b3" : ""),
      fill: kind === "stacked" ? (i === 0 ? "origin" : "-1") : false,
      pointRadius: 0,
    }));
    if (charts[canvas.id]) charts[canvas.id].destroy();
    charts[canvas.id] = new Chart(canvas, {
      type: kind === "bar" ? "bar" : "line",
      data: { labels: spec.years, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: kind === "bar" ? "y" : "x",
        plugins: { legend: { display: kind !== "bar" } },
        scales: { y: { stacked: kind === "stacked" }, x: { stacked: kind === "stacked" } },
      },
    });
    canvas.dataset.drawn = datasets.map((d) => d.label).join("|");
  }
  document.querySelectorAll("canvas[data-chart]").forEach((c) => draw(c, "value"));
  document.querySelectorAll('input[name="imports-measure"]').forEach((i) =>
    i.addEventListener("change", () => draw(document.getElementById("imports-chart"), i.value)));
})();
