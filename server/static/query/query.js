// The query page: YASGUI over this endpoint, the example queries of queries/, a permalink
// and the same query as curl, Python and R. Its settings come from the page's JSON
// (<script id="config" type="application/json">): no inline script, which the
// Content-Security-Policy forbids.
(() => {
  const cfg = JSON.parse(document.getElementById("config").textContent);
  const prefixLines = Object.entries(cfg.prefixes).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
  Yasgui.Yasqe.defaults.value = cfg.initial || `${prefixLines}\n\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10\n`;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: cfg.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: cfg.endpoint }] },
  });
  const tab = () => yasgui.getTab();
  const shq = (s) => `'${s.replace(/'/g, `'"'"'`)}'`;
  const pyq = (s) => `"""${s.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"')}"""`;
  const rq = (s) => JSON.stringify(s);
  function refresh() {
    const q = tab().getQuery();
    const link = new URL(window.location.href);
    link.search = new URLSearchParams({ query: q }).toString();
    document.getElementById("permalink").href = link.toString();
    document.getElementById("snippet-curl").textContent =
      `curl ${cfg.endpoint} -H 'Accept: text/csv' \\\n  --data-urlencode query=${shq(q)}`;
    document.getElementById("snippet-python").textContent =
      `from SPARQLWrapper import JSON, SPARQLWrapper\n\nsparql = SPARQLWrapper("${cfg.endpoint}")\n` +
      `sparql.setQuery(${pyq(q)})\nsparql.setReturnFormat(JSON)\n` +
      `for row in sparql.query().convert()["results"]["bindings"]:\n    print(row)`;
    document.getElementById("snippet-r").textContent =
      `library(httr)\nquery <- ${rq(q)}\nr <- POST("${cfg.endpoint}", body = list(query = query),\n` +
      `          encode = "form", accept("text/csv"))\nresults <- read.csv(text = content(r, "text", encoding = "UTF-8"))`;
  }
  function watch() { tab().getYasqe().on("change", refresh); refresh(); }
  yasgui.on("tabSelect", () => setTimeout(watch));
  watch();
  document.getElementById("examples").addEventListener("change", (event) => {
    const ex = cfg.examples.find((e) => e.name === event.target.value);
    if (!ex) return;
    tab().setQuery(ex.text);
    tab().query();
  });
})();
