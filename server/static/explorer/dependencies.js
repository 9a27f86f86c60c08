// /dependencies: sort by a column, filter by list membership and name. The rows and
// their sort values come from the server (data-value on each cell); nothing is fetched.
(function () {
  "use strict";
  const table = document.getElementById("dependencies");
  if (!table) return;
  const tbody = table.tBodies[0];
  const count = document.getElementById("dep-count");
  const year = document.getElementById("dep-year");
  const allRows = Array.from(tbody.rows);
  const countText = count.textContent.replace(/^\d+/, "");

  function cellValue(row, index) {
    const raw = row.cells[index].dataset.value;
    const n = Number(raw);
    return raw !== "" && !Number.isNaN(n) ? n : (raw || "").toLowerCase();
  }

  function sortBy(th) {
    const index = Array.from(th.parentNode.cells).indexOf(th);
    const descending = th.getAttribute("aria-sort") !== "descending";
    for (const other of th.parentNode.cells) {
      if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
    }
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const rows = Array.from(tbody.rows);
    rows.sort((a, b) => {
      const x = cellValue(a, index), y = cellValue(b, index);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return descending ? -c : c;
    });
    rows.forEach((r) => tbody.appendChild(r));
  }

  function filter() {
    const lists = Array.from(document.querySelectorAll("#dep-lists input:checked")).map((i) => i.value);
    const text = document.getElementById("dep-filter").value.trim().toLowerCase();
    const sector = document.getElementById("dep-sector").value;
    let shown = 0;
    for (const row of allRows) {
      const has = row.dataset.lists.split(" ");
      const ok = lists.every((l) => has.includes(l)) && (!text || row.dataset.name.includes(text)) &&
        (!sector || row.dataset.sectors.split(" ").includes(sector));
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    count.textContent = shown + countText;
  }

  table.querySelectorAll("button.sort").forEach((b) =>
    b.addEventListener("click", () => sortBy(b.closest("th"))));
  document.querySelectorAll("#dep-lists input").forEach((i) => i.addEventListener("change", filter));
  document.getElementById("dep-filter").addEventListener("input", filter);
  document.getElementById("dep-sector").addEventListener("change", filter);
  if (year) year.addEventListener("change", () => year.form.submit());
})();
