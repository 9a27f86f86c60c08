// A YASR results plugin that charts a SELECT result with Chart.js (served locally):
// the first column gives the labels, every numeric column a series of bars.
class ChartPlugin {
  constructor(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }

  columns() {
    const vars = this.yasr.results.getVariables();
    const rows = this.yasr.results.getBindings();
    const numeric = vars.slice(1).filter((v) => rows.length > 0 && rows.every(
      (row) => row[v] === undefined || !Number.isNaN(Number(row[v].value))));
    return { vars, rows, numeric };
  }

  canHandleResults() {
    const results = this.yasr.results;
    if (!results || !results.getVariables || results.getBoolean?.() !== undefined) return false;
    const { vars, numeric } = this.columns();
    return vars.length >= 2 && numeric.length > 0;
  }

  draw() {
    const { vars, rows, numeric } = this.columns();
    const short = (term) => (term ? term.value.replace(/^.*[/#]/, "") : "");
    const canvas = document.createElement("canvas");
    canvas.setAttribute("aria-label", `Chart of ${numeric.join(", ")} by ${vars[0]}`);
    this.yasr.resultsEl.appendChild(canvas);
    this.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((row) => short(row[vars[0]])),
        datasets: numeric.map((v) => ({ label: v, data: rows.map((row) => Number(row[v]?.value)) })),
      },
      options: { animation: false, responsive: true, aspectRatio: 3 },
    });
  }

  destroy() {
    this.chart?.destroy();
  }

  getIcon() {
    const icon = document.createElement("span");
    icon.textContent = "▮▮";
    return icon;
  }
}
Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
