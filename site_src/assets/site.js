// The activations site's only script: it makes the comparison table sortable. Everything
// else (formulas, plots) is rendered when the site is built and needs no JavaScript; the
// table reads fine unsorted without it.
//
// Mounted from Material's document$, which emits on every page load, instant navigation
// included; a table is mounted once (data-act-sortable).

"use strict";

document$.subscribe(() => {
  for (const table of document.querySelectorAll(".act-comparison table")) {
    mountSortable(table);
  }
});

function mountSortable(table) {
  if (table.dataset.actSortable || !table.tHead || !table.tBodies[0]) return;
  table.dataset.actSortable = "true";
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "act-sort";
    button.append(...header.childNodes);
    button.addEventListener("click", () => sortBy(table, headers, column));
    header.append(button);
  });
}

function sortBy(table, headers, column) {
  const header = headers[column];
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of headers) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const keyed = [...body.rows].map((row, index) => [sortKey(row.cells[column]), index, row]);
  keyed.sort(([a, i], [b, j]) => (compare(a, b) || i - j) * (ascending ? 1 : -1));
  body.append(...keyed.map(([, , row]) => row));
}

// A cell's sort key: a number when it reads as one, else its text; a formula sorts by its
// LaTeX source (KaTeX keeps it in an <annotation>).
function sortKey(cell) {
  const annotation = cell.querySelector("annotation");
  const text = (annotation ? annotation.textContent : cell.textContent).trim();
  const number = Number(text.replace(/\u2212/g, "-").replace(/\*$/, ""));
  return text !== "" && Number.isFinite(number) ? number : text.toLowerCase();
}

function compare(a, b) {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === "number" ? -1 : 1; // numbers before words
}
