// The /graph page, imports data set: draws /api/supply (Korea's imports of a year by
// partner, CEPII BACI, and the paper's sectors and companies) at the positions the
// server computed (layered columns: partner -> product -> element -> group or material
// -> sector -> company), focuses a clicked node's supply paths, explains each node and
// edge with its figures and units, and runs the what-if (/api/supply/disrupt).
(function () {
  "use strict";
  const { $, app, LANG, tr, setStatus, link, showInfo, query, getJSON, makeCy } =
    window.krmGraphKit;
  const API = app.dataset.api;
  const YEAR = app.dataset.year;
  const COLOURS = { country: "#6b8fb8", area: "#9fb4cc", product: "#e08a3c",
    element: "#3a9b6a", group: "#7a5fb0", material: "#a98bd8", sector: "#c0504d",
    company: "#555555", organisation: "#777777", other: "#aaaaaa" };
  const TYPE_NAMES = {
    country: tr("partner country", "상대국"), area: tr("partner area (not a country)", "상대 지역 (국가 아님)"),
    product: tr("traded product (HS 1992)", "교역 품목 (HS 1992)"), element: tr("element", "원소"),
    group: tr("element group", "원소 그룹"), material: tr("material", "소재"),
    sector: tr("Korean sector", "한국 산업"), company: tr("company", "기업"),
    organisation: tr("organisation", "기관"), other: tr("other", "기타") };
  const fmt = new Intl.NumberFormat(LANG === "ko" ? "ko-KR" : "en-GB", { maximumFractionDigits: 1 });
  const FONT = 13;

  const STYLE = [
    { selector: "node", style: {
      "label": "data(_label)", "font-size": FONT, "color": "#222",
      "text-valign": "center", "text-halign": "right", "text-margin-x": 5,
      "width": "data(_size)", "height": "data(_size)", "background-color": "data(_colour)",
      "border-width": 1, "border-color": "#fff" } },
    { selector: "node[layer = 0]", style: { "text-halign": "left", "text-margin-x": -5 } },
    { selector: "node[type = 'product']", style: { "shape": "round-rectangle" } },
    { selector: "node[type = 'group'], node[type = 'material']", style: { "shape": "round-diamond" } },
    { selector: "node[type = 'sector']", style: { "shape": "hexagon" } },
    { selector: "node[type = 'company']", style: { "shape": "rectangle" } },
    { selector: "edge", style: { "width": 1, "line-color": "#c8c8c8", "curve-style": "straight",
      "target-arrow-shape": "triangle", "target-arrow-color": "#c8c8c8", "arrow-scale": 0.5,
      "opacity": 0.8 } },
    { selector: "edge[kind = 'imports']", style: { "line-color": "#f0b27a",
      "target-arrow-color": "#f0b27a", "width": "mapData(share, 0, 100, 1, 7)" } },
    { selector: ".faded", style: { "opacity": 0.1 } },
    { selector: "node.path", style: { "border-width": 2, "border-color": "#222" } },
    { selector: "edge.path", style: { "line-color": "#444", "target-arrow-color": "#444", "opacity": 1 } },
    { selector: "node.hit", style: { "border-width": 4, "border-color": "#d62728" } },
    { selector: "node.disrupted", style: { "border-width": 5, "border-color": "#000",
      "background-color": "#d62728" } },
    { selector: "edge.hit", style: { "line-color": "#d62728", "target-arrow-color": "#d62728",
      "opacity": 1 } },
  ];
  const cy = makeCy(STYLE);
  let choices = null;   // /api/supply/choices: partners, products, elements, groups
  let sources = {};     // data set IRI -> title

  const name = (d) => (LANG === "ko" && d.label_ko) || d.label;
  // Labels in the drawing are cut to fit a column (the info box has the whole name);
  // cut here once, as Cytoscape's own ellipsis measures the text again at every draw.
  const LABEL_CHARS = LANG === "ko" ? 12 : 22;   // Hangul glyphs are about twice as wide
  const short = (text) => (text.length > LABEL_CHARS ? text.slice(0, LABEL_CHARS - 1) + "…" : text);
  const musd = (thousand) => tr(`US$ ${fmt.format(thousand / 1000)} million`,
    `${fmt.format(thousand / 1000)}백만 달러`);
  const kusd = (thousand) => tr(`US$ ${fmt.format(thousand)} thousand`,
    `${fmt.format(thousand)}천 달러`);
  const pct = (x) => `${fmt.format(x)} %`;

  function render(data) {
    const started = performance.now();
    const values = data.elements.nodes.map((n) => n.data.import_value || 0);
    const top = Math.max(1, ...values);
    cy.batch(() => {
      cy.elements().remove();
      cy.add(data.elements.nodes.map((n) => ({ group: "nodes", position: n.position,
        data: { ...n.data, _label: short(name(n.data)), _colour: COLOURS[n.data.type] || COLOURS.other,
          _size: n.data.import_value ? 10 + 16 * Math.sqrt(n.data.import_value / top) : 12 } })));
      cy.add(data.elements.edges.map((e) => ({ group: "edges", data: e.data })));
    });
    cy.layout({ name: "preset", fit: true, padding: 20 }).run();
    $("info").hidden = true;
    window.krmGraph.drawMs = Math.round(performance.now() - started);
    window.krmGraph.readyAt = Math.round(performance.now());   // since navigation start
    window.krmGraph.meta = data.meta;
    setStatus(tr(`${YEAR}: ${cy.nodes().length} nodes, ${cy.edges().length} links`,
      `${YEAR}년: 노드 ${cy.nodes().length}개, 연결 ${cy.edges().length}개`), "ready");
  }

  async function load() {
    setStatus(tr("Loading…", "불러오는 중…"), "loading");
    try {
      render(await getJSON(API + query({ year: YEAR, scope: $("scope").value,
        min_share: $("min-share").value || "0" })));
      markHits();
    } catch (err) {
      setStatus(tr("Could not load the network: ", "네트워크를 불러오지 못했습니다: ") + err.message, "error");
    }
  }

  // Focus: the node, what supplies it and what it supplies; the rest fades, the view
  // zooms to them.
  function focus(n) {
    const paths = n.predecessors().union(n.successors()).union(n);
    cy.batch(() => {
      cy.elements().removeClass("path").addClass("faded");
      paths.removeClass("faded").addClass("path");
    });
    cy.animate({ fit: { eles: paths, padding: 30 }, duration: 250 });
    window.krmGraph.focused = n.id();
  }

  function unfocus() {
    cy.elements().removeClass("path faded");
    $("info").hidden = true;
    window.krmGraph.focused = null;
    cy.animate({ fit: { eles: cy.elements(), padding: 20 }, duration: 250 });
  }

  function sourceText(src) {
    const span = document.createElement("span");
    span.append(link(src.dataset, sources[src.dataset] || "CEPII BACI"),
      tr(`, file ${src.file}, row ${src.row}`, `, 파일 ${src.file}, ${src.row}행`));
    return span;
  }

  function nodeRows(n) {
    const d = n.data();
    const rows = [];
    if (d.code && d.code !== d.label) rows.push([d.type === "product" ? tr("HS code", "HS 코드") : tr("code", "코드"), d.code]);
    if (LANG === "ko" && !d.label_ko) rows.push(["이름", `${d.label} (한국어 이름 없음)`]);
    if (d.type === "country" || d.type === "area") {
      const p = choices && choices.partners.find((x) => x.id === d.id);
      if (p) {
        rows.push([tr(`Korea's imports from it, ${YEAR}`, `${YEAR}년 한국의 수입액`), musd(p.value) + " (FOB)"]);
        rows.push([tr("Products", "품목 수"), String(p.products.length)]);
      }
    } else if (d.type === "product") {
      if (d.import_value) rows.push([tr(`Korea's imports, ${YEAR}`, `${YEAR}년 한국의 수입액`), musd(d.import_value) + " (FOB)"]);
      const ins = n.incomers("edge[kind = 'imports']").sort((a, b) => b.data("value") - a.data("value"));
      if (ins.length) rows.push([tr("Largest partner", "최대 수입국"),
        `${name(ins[0].source().data())} (${pct(ins[0].data("share"))})`]);
    } else if (d.type === "element") {
      if (d.import_value) rows.push([tr(`Korea's imports of products containing it, ${YEAR}`,
        `${YEAR}년 이 원소가 든 품목의 수입액`), musd(d.import_value) + " (FOB)"]);
      rows.push([tr("Products in this view", "이 보기의 품목"), String(n.incomers("edge[kind = 'contains']").length)]);
    }
    const needs = n.outgoers("edge[kind = 'requires']").targets().map((t) => name(t.data()));
    if (needs.length) rows.push([tr("Needed by", "필요로 하는 곳"), needs.join(", ")]);
    if (d.type === "sector") {
      const cos = n.outgoers("edge[kind = 'active_in']").targets().map((t) => name(t.data()));
      if (cos.length) rows.push([tr("Companies", "기업"), cos.join(", ")]);
    }
    if (d._severity !== undefined) rows.push([tr("Loss in the what-if", "차단 시 손실"), pct(d._severity)]);
    return rows;
  }

  cy.on("tap", "node", (evt) => {
    const n = evt.target;
    focus(n);
    showInfo(name(n.data()), TYPE_NAMES[n.data("type")] || n.data("type"), nodeRows(n), n.data("iri"));
  });
  cy.on("tap", (evt) => { if (evt.target === cy) unfocus(); });
  cy.on("tap", "edge", (evt) => {
    const e = evt.target, d = e.data();
    const title = `${name(e.source().data())} → ${name(e.target().data())}`;
    const rows = [];
    if (d.kind === "imports") {
      rows.push([tr("Value", "금액"), kusd(d.value) + " (FOB)"]);
      rows.push([tr("Quantity", "물량"), d.quantity == null ? tr("not reported", "보고 없음")
        : tr(`${fmt.format(d.quantity)} t`, `${fmt.format(d.quantity)}톤`)]);
      rows.push([tr("Share of Korea's imports of the product", "이 품목 수입 중 비중"), pct(d.share)]);
      rows.push([tr("Year", "연도"), String(d.year)]);
      rows.push([tr("Source", "출처"), sourceText({ dataset: d.dataset, file: d.file, row: d.row })]);
    } else {
      rows.push([tr("Link", "관계"), d.kind]);
      if ((d.claims || []).length) {
        const span = document.createElement("span");
        d.claims.forEach((c, i) => span.append(...(i ? [" ", link(c, tr("claim", "근거"))] : [link(c, tr("the paper's claim", "논문의 근거"))])));
        rows.push([tr("Source", "출처"), span]);
      } else if (d.kind === "contains") {
        rows.push([tr("Source", "출처"), tr("the project's HS rule table (kg/ingest/hs_rules.csv)", "프로젝트의 HS 규칙표 (kg/ingest/hs_rules.csv)")]);
      }
    }
    showInfo(title, tr("link", "연결"), rows, null);
  });

  // --- What-if -------------------------------------------------------------------------
  let lastHits = null;

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  // The partner's own choices: the products it sells Korea, the elements in them and
  // those elements' groups (marked as groups); nothing it does not sell is offered.
  function fillTargets() {
    const sel = $("w-target");
    sel.replaceChildren(option("", tr("everything it sells Korea", "한국에 파는 모든 것")));
    const p = choices.partners.find((x) => x.id === $("w-partner").value);
    if (!p) return;
    const products = p.products.map((id) => choices.products[id]);
    const elements = new Map(), groups = new Map();
    products.forEach((pr) => pr.elements.forEach((e) => {
      const el = choices.elements[e];
      elements.set(e, el);
      el.groups.forEach((g) => groups.set(g, choices.groups[g]));
    }));
    const byName = (a, b) => name(a).localeCompare(name(b));
    const add = (label, items, value, text) => {
      if (!items.length) return;
      const og = document.createElement("optgroup");
      og.label = label;
      items.sort(byName).forEach((x) => og.append(option(value(x), text(x))));
      sel.append(og);
    };
    add(tr("Metals", "금속"), [...elements.values()], (x) => "element:" + x.id, (x) => name(x));
    add(tr("Groups of metals", "금속 그룹"), [...groups.values()], (x) => "element:" + x.id,
      (x) => tr(`${name(x)} (group of ${x.members})`, `${name(x)} (그룹, ${x.members}종)`));
    add(tr("Products (HS 1992)", "품목 (HS 1992)"), products, (x) => "product:" + x.id,
      (x) => `${x.label} (HS ${x.code})`);
  }

  function markHits() {
    cy.batch(() => {
      cy.elements().removeClass("hit disrupted");
      cy.nodes().removeData("_severity");
      if (!lastHits) return;
      cy.getElementById(lastHits.partner).addClass("disrupted");
      lastHits.hits.forEach((h) => {
        cy.getElementById(h.node).addClass("hit").data("_severity", h.severity);
        for (let i = 1; i < h.path.length; i++) {
          cy.getElementById(`${h.path[i - 1]} -> ${h.path[i]}`).addClass("hit");
        }
      });
    });
  }

  // One hit, said in full: its loss, the figure it rests on, the year and the source.
  function hitItem(h) {
    const li = document.createElement("li");
    li.dataset.node = h.node;
    li.dataset.type = h.type;
    const head = document.createElement("strong");
    head.textContent = `${pct(h.severity)} · ${(choices && (choices.elements[h.node] || choices.groups[h.node]) && name(choices.elements[h.node] || choices.groups[h.node])) || h.label} (${TYPE_NAMES[h.type] || h.type})`;
    const imp = h.figures.find((f) => f.kind === "imports");
    const what = document.createElement("span");
    if (h.type === "product") {
      what.textContent = tr(`: ${kusd(h.lost_value)} lost of Korea's imports of the product, in ${imp.year}. `,
        `: 이 품목 수입 중 ${kusd(h.lost_value)} 손실, ${imp.year}년. `);
    } else if (h.basis === "measured") {
      what.textContent = tr(`: ${kusd(h.lost_value)} lost of Korea's imports of every product containing it, in ${imp.year}. `,
        `: 이 원소가 든 모든 품목의 수입 중 ${kusd(h.lost_value)} 손실, ${imp.year}년. `);
    } else {
      const via = cy.getElementById(h.via);
      const viaName = via.nonempty() ? name(via.data()) : (choices.elements[h.via] ? name(choices.elements[h.via]) : h.via);
      what.textContent = tr(`: not measured for it; taken from its worst-hit input, ${viaName}, in ${imp.year}. `,
        `: 직접 측정한 값이 아니라 가장 큰 영향을 받은 투입물 ${viaName}의 값, ${imp.year}년. `);
    }
    const src = document.createElement("span");
    src.className = "source";
    src.append(tr("Source: ", "출처: "), sourceText(imp.source));
    li.append(head, what, src);
    return li;
  }

  async function runWhatIf() {
    const [kind, id] = ($("w-target").value || ":").split(/:(.*)/s);
    const params = { year: YEAR, partner: $("w-partner").value,
      fraction: (Number($("w-fraction").value) / 100).toString() };
    if (kind) params[kind] = id;
    $("w-summary").textContent = tr("Running…", "계산 중…");
    delete $("w-summary").dataset.hits;
    try {
      lastHits = await getJSON(app.dataset.disrupt + query(params));
    } catch (err) {
      $("w-summary").textContent = err.message;
      return;
    }
    markHits();
    const shown = cy.nodes(".hit").length;
    $("w-summary").textContent = lastHits.hits.length
      ? tr(`${lastHits.hits.length} hit in ${lastHits.year} (${shown} in this view); ${musd(lastHits.lost_value)} of imports lost.`,
        `${lastHits.year}년 영향 ${lastHits.hits.length}곳 (이 보기에 ${shown}곳), 수입 ${musd(lastHits.lost_value)} 손실.`)
      : tr("Nothing is hit.", "영향받는 곳이 없습니다.");
    $("w-summary").dataset.hits = String(lastHits.hits.length);
    $("w-hits").replaceChildren(...lastHits.hits.map(hitItem));
  }

  $("w-partner").addEventListener("change", fillTargets);
  $("w-run").addEventListener("click", runWhatIf);
  $("w-clear").addEventListener("click", () => {
    lastHits = null;
    markHits();
    $("w-summary").textContent = "";
    delete $("w-summary").dataset.hits;
    $("w-hits").replaceChildren();
  });
  $("scope").addEventListener("change", load);
  $("min-share").addEventListener("change", load);

  (async () => {
    await load();
    try {
      choices = await getJSON(app.dataset.choices + query({ year: YEAR }));
    } catch (err) {
      $("w-summary").textContent = err.message;
      return;
    }
    sources = choices.sources || {};
    const partners = [...choices.partners].sort((a, b) => name(a).localeCompare(name(b)));
    $("w-partner").replaceChildren(...partners.map((p) => option(p.id, name(p))));
    const china = partners.find((p) => p.code === "CHN");
    if (china) $("w-partner").value = china.id;
    fillTargets();
    window.krmGraph.choicesReady = true;
  })();
})();
