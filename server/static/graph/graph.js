// The /graph page's shared part: the Cytoscape instance, the status line, the info box,
// links to resource pages, the export buttons and the data set and year choice. The data
// set's own script (supply.js or production.js) draws and explains the network.
(function () {
  "use strict";
  const app = document.getElementById("app");
  const $ = (id) => document.getElementById(id);
  const LANG = app.dataset.lang || "en";
  const IRI_BASE = app.dataset.base;

  // The page's words in its language: tr("English", "한국어").
  const tr = (en, ko) => (LANG === "ko" ? ko : en);

  function setStatus(text, state) {
    $("status").textContent = text;
    $("status").dataset.state = state;
    window.krmGraph.state = state;
  }

  // Where a click on an IRI goes: our page, another http(s) address, or nowhere (null):
  // a stored javascript: or data: IRI is shown as text, never followed.
  function resourcePath(iri) {
    if (iri.startsWith(IRI_BASE)) return "/" + iri.slice(IRI_BASE.length);
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  function field(dl, name, value) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = name;
    if (value instanceof Node) dd.append(value); else dd.textContent = value;
    dl.append(dt, dd);
  }

  function link(iri, text) {
    const path = resourcePath(iri);
    const a = document.createElement(path === null ? "span" : "a");
    if (path !== null) a.href = path;
    a.textContent = text;
    return a;
  }

  function links(iris) {
    const span = document.createElement("span");
    iris.forEach((iri, i) => {
      const a = link(iri, iri.startsWith(IRI_BASE) ? iri.slice(IRI_BASE.length) : iri);
      span.append(...(i ? [" ", a] : [a]));
    });
    return span;
  }

  // The info box: a title, a kind, labelled figures and a link to the resource's page.
  function showInfo(title, kind, rows, iri) {
    $("info-label").textContent = title;
    $("info-type").textContent = kind;
    const dl = $("info-data");
    dl.replaceChildren();
    rows.forEach(([name, value]) => field(dl, name, value));
    const path = iri ? resourcePath(iri) : null;
    $("info-link").href = path === null ? "#" : path;
    $("info-link").hidden = path === null;
    $("info").hidden = false;
  }

  function query(params) {
    const q = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => { if (v !== "" && v != null) q.set(k, v); });
    const s = q.toString();
    return s ? "?" + s : "";
  }

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  function download(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function makeCy(style) {
    const cy = cytoscape({ container: $("cy"), elements: [], style: style,
      textureOnViewport: true, hideEdgesOnViewport: true });
    window.krmGraph = { cy: cy, state: "loading" };
    $("x-png").addEventListener("click", () =>
      download(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), "krm-network.png"));
    $("x-svg").addEventListener("click", () =>
      download(new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }),
        "krm-network.svg"));
    return cy;
  }

  // Changing the data set or the year loads the page for it (the form works without
  // scripts too); a new data set starts at its default year.
  $("dataset").addEventListener("change", () => {
    $("year").disabled = true;
    $("dataset-form").submit();
  });
  $("year").addEventListener("change", () => $("dataset-form").submit());

  window.krmGraphKit = { $, app, LANG, IRI_BASE, tr, setStatus, resourcePath, field, link,
    links, showInfo, query, getJSON, makeCy };
})();
