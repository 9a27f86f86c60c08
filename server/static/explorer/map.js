// /map: the countries of world-atlas drawn with d3-geo, coloured by Korea's import share
// or by the share of world production (the figures come with the page, in #map-data).
(function () {
  "use strict";
  const box = document.getElementById("map");
  if (!box || !window.d3 || !window.topojson) return;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const tip = document.getElementById("map-tip");
  const legend = document.getElementById("map-legend");
  const NS = "http://www.w3.org/2000/svg";
  const W = 960, H = 500;
  const BINS = [0, 1, 5, 15, 35, 100];
  const COLOURS = ["#dbe8f6", "#a9c8ea", "#6aa3da", "#2f7ed8", "#0b4f96"];
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("aria-hidden", "true");
  box.appendChild(svg);

  function figures(layer) {
    const out = new Map();
    const rows = layer === "imports" ? data.imports : data.production.rows;
    for (const r of rows) if (r.id) out.set(r.id, r);
    return out;
  }
  function colour(share) {
    for (let i = BINS.length - 1; i > 0; i -= 1) if (share > BINS[i - 1]) return COLOURS[i - 1];
    return COLOURS[0];
  }
  function drawLegend() {
    legend.textContent = "";
    BINS.slice(1).forEach((upper, i) => {
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.dataset.colour = COLOURS[i];
      legend.appendChild(sw);
      legend.appendChild(document.createTextNode(`≤ ${upper}% `));
    });
    legend.querySelectorAll(".swatch").forEach((s) => { s.style.background = s.dataset.colour; });
  }

  fetch(box.dataset.atlas).then((r) => r.json()).then((world) => {
    const countries = topojson.feature(world, world.objects.countries).features;
    const projection = d3.geoNaturalEarth1().fitSize([W, H], { type: "Sphere" });
    const path = d3.geoPath(projection);
    const paths = countries.map((f) => {
      const p = document.createElementNS(NS, "path");
      p.setAttribute("d", path(f) || "");
      p.setAttribute("stroke", "#fff");
      p.setAttribute("stroke-width", "0.5");
      p.dataset.id = String(f.id);
      p.dataset.name = f.properties.name;
      svg.appendChild(p);
      return p;
    });
    function paint(layer) {
      const figs = figures(layer);
      let coloured = 0;
      for (const p of paths) {
        const r = figs.get(p.dataset.id);
        p.setAttribute("fill", r ? colour(r.share) : "#e4e7ec");
        p.classList.toggle("has-data", Boolean(r));
        if (r) coloured += 1;
      }
      box.dataset.layer = layer;
      box.dataset.coloured = String(coloured);
    }
    svg.addEventListener("mousemove", (e) => {
      const p = e.target.closest("path");
      const layer = box.dataset.layer;
      const r = p && figures(layer).get(p.dataset.id);
      if (!r) { tip.hidden = true; return; }
      tip.textContent = layer === "imports"
        ? `${r.name}: ${Math.round(r.value).toLocaleString()} k US$ (${r.share}%)`
        : `${r.name}: ${r.share}%`;
      tip.hidden = false;
      const rect = box.getBoundingClientRect();
      tip.style.left = `${e.clientX - rect.left + 12}px`;
      tip.style.top = `${e.clientY - rect.top + 12}px`;
    });
    svg.addEventListener("mouseleave", () => { tip.hidden = true; });
    document.querySelectorAll("#map-layer input").forEach((i) =>
      i.addEventListener("change", () => paint(i.value)));
    drawLegend();
    paint("imports");
    box.dataset.ready = "true";
  });
})();
