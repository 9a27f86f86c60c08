// The /graph page, world production data set: draws /api/network with Cytoscape.js in
// layered columns, filters it, sizes and colours nodes by a metric, traces supply paths
// and runs what-if disruptions (graph.js holds the shared part).
(function () {
  "use strict";
  const { $, app, tr, setStatus, field, links, query, getJSON, makeCy } =
    window.krmGraphKit;
  const API = app.dataset.api;
  const YEAR = app.dataset.year;
  const SHAPES = { country: "ellipse", group: "round-rectangle", element: "ellipse",
    material: "diamond", sector: "hexagon", company: "rectangle", organisation: "rectangle",
    other: "triangle" };
  const COL = 200, SUBCOL = 150, ROW = 34;
  const BULK_EDGES = 2000;

  // Rules in three parts: the base look, the chosen metric's (replaced when it changes),
  // and the highlights, which come last so they win.
  const LOOK = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 10, "min-zoomed-font-size": 7,
      "text-valign": "bottom", "text-margin-y": 2,
      "width": "data(_size)", "height": "data(_size)",
      "background-color": "mapData(_m, 0, 1, #c6dbef, #08306b)",
      "border-width": 1, "border-color": "#fff" } },
    { selector: "node.nometric", style: { "background-color": "#bbb" } },
    ...Object.entries(SHAPES).map(([type, shape]) =>
      ({ selector: `node[type = '${type}']`, style: { "shape": shape } })),
    { selector: "edge", style: {
      "width": 1, "line-color": "#c8c8c8", "curve-style": "straight",
      "target-arrow-shape": "triangle", "target-arrow-color": "#c8c8c8",
      "arrow-scale": 0.6 } },
    { selector: "edge[kind = 'produces']", style: {
      "line-color": "#f0a35e", "target-arrow-color": "#f0a35e", "opacity": 0.85,
      "arrow-scale": 0.4 } },
    { selector: "edge[kind = 'produces'][share]", style: {
      "width": "mapData(share, 0, 100, 1, 8)" } },
    // A rank without a share: drawn, dashed, at the thinnest width.
    { selector: "edge[kind = 'produces'][^share]", style: { "line-style": "dashed" } },
    // Large views: haystack edges (no arrows; the columns show the direction) draw fast.
    { selector: "edge.bulk", style: { "curve-style": "haystack", "haystack-radius": 0,
      "target-arrow-shape": "none" } },
  ];
  const HIGHLIGHTS = [
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "node.path", style: { "border-width": 3, "border-color": "#333" } },
    { selector: "edge.path", style: { "line-color": "#333", "target-arrow-color": "#333" } },
    { selector: "node.hit", style: { "border-width": 5, "border-color": "#d62728" } },
    { selector: "node.disrupted", style: { "border-width": 6, "border-color": "#000",
      "background-color": "#d62728" } },
    { selector: "edge.hit", style: { "line-color": "#d62728", "target-arrow-color": "#d62728" } },
  ];

  const cy = makeCy([...LOOK, ...HIGHLIGHTS]);
  const resourcePath = window.krmGraphKit.resourcePath;

  // Columns by layer; a long layer wraps into sub-columns so thousands of nodes stay legible.
  function layeredPositions(nodes) {
    const layers = new Map();
    nodes.forEach((n) => {
      const l = n.data.layer || 0;
      if (!layers.has(l)) layers.set(l, []);
      layers.get(l).push(n);
    });
    const perCol = Math.max(25, Math.ceil(Math.sqrt(nodes.length) * 1.5));
    let x = 0;
    [...layers.keys()].sort((a, b) => a - b).forEach((l) => {
      const list = layers.get(l).sort((a, b) => String(a.data.label).localeCompare(b.data.label));
      const cols = Math.ceil(list.length / perCol);
      const rows = Math.ceil(list.length / cols);
      list.forEach((n, i) => {
        const c = Math.floor(i / rows), r = i % rows;
        n.position = { x: x + c * SUBCOL, y: (r - rows / 2) * ROW };
      });
      x += (cols - 1) * SUBCOL + COL;
    });
  }

  // Size and colour by the chosen metric, scaled to 0-1 over the nodes that have it.
  function applyMetric() {
    const m = $("metric").value;
    const values = cy.nodes().map((n) => n.data(m)).filter((v) => typeof v === "number");
    const lo = Math.min(...values), hi = Math.max(...values);
    cy.batch(() => cy.nodes().forEach((n) => {
      const v = n.data(m);
      const has = typeof v === "number";
      const t = has ? (hi > lo ? (v - lo) / (hi - lo) : 1) : 0;
      n.data({ _m: t, _size: 16 + 34 * t });
      n.toggleClass("nometric", !has);
    }));
  }

  function render(data) {
    const started = performance.now();
    const nodes = data.elements.nodes, edges = data.elements.edges;
    layeredPositions(nodes);
    cy.batch(() => {
      cy.elements().remove();
      cy.add(nodes.map((n) => ({ group: "nodes", data: n.data, position: n.position })));
      const bulk = edges.length > BULK_EDGES ? "bulk" : "";
      cy.add(edges.map((e) => ({ group: "edges", data: e.data, classes: bulk })));
    });
    applyMetric();
    cy.layout({ name: "preset", fit: true, padding: 30 }).run();
    $("info").hidden = true;
    window.krmGraph.drawMs = Math.round(performance.now() - started);
    setStatus(tr(`${cy.nodes().length} nodes, ${cy.edges().length} edges`,
      `노드 ${cy.nodes().length}개, 연결 ${cy.edges().length}개`), "ready");
  }

  function filters() {
    return { element: $("f-element").value, country: $("f-country").value,
      sector: $("f-sector").value, threshold: $("f-threshold").value, observations: "false",
      year: YEAR };
  }

  async function load() {
    setStatus("Loading…", "loading");
    try {
      render(await getJSON(API + query(filters())));
      markHits();
    } catch (err) {
      setStatus("Could not load the network: " + err.message, "error");
    }
  }

  function fillSelect(select, nodes) {
    nodes.sort((a, b) => a.data.label.localeCompare(b.data.label)).forEach((n) => {
      const o = document.createElement("option");
      o.value = n.data.id;
      o.textContent = n.data.code && n.data.code !== n.data.label
        ? `${n.data.label} (${n.data.code})` : n.data.label;
      select.appendChild(o);
    });
  }

  // Click: trace the node's supply paths (everything up- and downstream) and show it.
  cy.on("tap", "node", (evt) => {
    const n = evt.target;
    const paths = n.predecessors().union(n.successors()).union(n);
    cy.batch(() => {
      cy.elements().removeClass("path").addClass("faded");
      paths.removeClass("faded").addClass("path");
    });
    showInfo(n);
  });
  cy.on("tap", (evt) => {
    if (evt.target === cy) {
      cy.elements().removeClass("path faded");
      $("info").hidden = true;
    }
  });

  const INFO_FIELDS = [["code", "code"], ["hhi_lower", "HHI ≥"], ["hhi_upper", "HHI ≤"],
    ["top_share", "top share %"], ["max_share", "largest share %"],
    ["max_dependency", "largest dependency %"], ["betweenness", "betweenness"],
    ["degree", "degree"], ["severity", "loss in what-if %"]];

  function showInfo(n) {
    $("info-label").textContent = n.data("label");
    $("info-type").textContent = n.data("type");
    const dl = $("info-data");
    dl.replaceChildren();
    INFO_FIELDS.forEach(([key, name]) => {
      const v = n.data(key);
      if (v === undefined || v === null) return;
      field(dl, name, typeof v === "number" ? String(+v.toFixed(4)) : v);
    });
    const path = resourcePath(n.data("iri") || n.id());
    $("info-link").href = path === null ? "#" : path;
    $("info-link").hidden = path === null;
    $("info").hidden = false;
  }

  // Click an edge: its figures and the claims behind it.
  cy.on("tap", "edge", (evt) => {
    const e = evt.target;
    $("info-label").textContent =
      `${e.source().data("label")} → ${e.target().data("label")}`;
    $("info-type").textContent = e.data("kind");
    const dl = $("info-data");
    dl.replaceChildren();
    if (e.data("share") !== undefined) field(dl, "share %", String(e.data("share")));
    if (e.data("rank") !== undefined) field(dl, "rank", String(e.data("rank")));
    if (e.data("year") !== undefined) field(dl, "year", String(e.data("year")));
    if (e.data("sources")) field(dl, "sources", links(e.data("sources")));
    if ((e.data("claims") || []).length) field(dl, "claims", links(e.data("claims")));
    $("info-link").hidden = true;
    $("info").hidden = false;
  });

  // What-if: the hits of the last disruption, re-marked whenever the view changes.
  let lastHits = null;

  function markHits() {
    cy.batch(() => {
      cy.elements().removeClass("hit disrupted");
      cy.nodes().removeData("severity");
      if (!lastHits) return;
      const c = cy.getElementById(lastHits.country);
      c.addClass("disrupted");
      lastHits.hits.forEach((h) => {
        const n = cy.getElementById(h.node);
        n.addClass("hit").data("severity", h.severity);
        for (let i = 1; i < h.path.length; i++) {
          cy.getElementById(`${h.path[i - 1]} -> ${h.path[i]}`).addClass("hit");
        }
      });
    });
  }

  async function runWhatIf() {
    const params = { country: $("w-country").value, element: $("w-element").value,
      fraction: (Number($("w-fraction").value) / 100).toString(), year: YEAR };
    $("w-summary").textContent = "Running…";
    try {
      lastHits = await getJSON(API + "/disrupt" + query(params));
    } catch (err) {
      $("w-summary").textContent = err.message;
      return;
    }
    markHits();
    const shown = cy.nodes(".hit").length;
    const counts = Object.entries(lastHits.counts).map(([t, n]) => `${n} ${t}`).join(", ");
    $("w-summary").textContent = lastHits.hits.length
      ? `${lastHits.hits.length} hit (${counts}); ${shown} in this view.`
      : "Nothing downstream is hit.";
    $("w-summary").dataset.hits = String(lastHits.hits.length);
    const list = $("w-hits");
    list.replaceChildren();
    lastHits.hits.forEach((h) => {
      const li = document.createElement("li");
      const severity = h.severity === null ? "?" : `${h.severity.toFixed(1)}%`;
      li.textContent = `${severity} · ${h.label} (${h.type}) — ${h.path.map((n) => lastHits.labels[n]).join(" → ")}`;
      li.dataset.node = h.node;
      list.appendChild(li);
    });
  }

  ["f-element", "f-country", "f-sector"].forEach((id) => $(id).addEventListener("change", load));
  $("f-threshold").addEventListener("change", load);
  $("f-reset").addEventListener("click", () => {
    ["f-element", "f-country", "f-sector", "f-threshold"].forEach((id) => { $(id).value = ""; });
    load();
  });
  $("metric").addEventListener("change", applyMetric);
  $("w-run").addEventListener("click", runWhatIf);
  $("w-clear").addEventListener("click", () => {
    lastHits = null;
    markHits();
    $("w-summary").textContent = "";
    $("w-hits").replaceChildren();
  });

  // First load: the whole network, which also fills the filter and what-if choices.
  (async () => {
    let data;
    try {
      data = await getJSON(API + query({ observations: "false", year: YEAR }));
    } catch (err) {
      setStatus("Could not load the network: " + err.message, "error");
      return;
    }
    const of = (...types) => data.elements.nodes.filter((n) => types.includes(n.data.type));
    fillSelect($("f-element"), of("element", "group", "material"));
    fillSelect($("f-country"), of("country"));
    fillSelect($("f-sector"), of("sector"));
    const producers = new Set(data.elements.edges
      .filter((e) => ["produces", "supplies"].includes(e.data.kind)).map((e) => e.data.source));
    fillSelect($("w-country"), of("country").filter((n) => producers.has(n.data.id)));
    fillSelect($("w-element"), of("element", "group", "material"));
    render(data);
  })();
})();
