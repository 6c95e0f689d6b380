// Saved edits: the code a reader typed into a live cell, kept in the browser's
// localStorage per page and cell, so that it survives a reload, instant navigation and
// a new build of the site.
//
// An entry is {code, original, saved}: the reader's code, the cell's code as the build
// wrote it when they edited it, and when they last edited it (ms since the epoch).
// Comparing `original` with the cell's code on the page tells an edit of this very
// cell from an edit of a cell that a new build has since changed, and cells.mjs offers
// the new version rather than silently dropping either.
//
// The page is named by its path under the site's root ("" for the home page,
// "functions/relu/"), so the site can live under a sub-path (GitHub Pages) and instant
// navigation, which changes the address before the new page mounts, finds the right
// entries.
//
// localStorage may be missing or throw (storage disabled, some private modes, quota
// exceeded): every function here catches and says so by its result, so the cells keep
// working, without saving.

const PREFIX = "activations:cell-edit:";
// This module is bundled into assets/live/ (cells.js or one of its chunks).
const SITE_ROOT = new URL("../../", import.meta.url).pathname;

/** The page's path under the site's root, e.g. "" or "functions/relu/". */
export function pagePath(pathname = window.location.pathname) {
  const path = decodeURI(pathname).replace(/index\.html$/, "");
  return path.startsWith(SITE_ROOT) ? path.slice(SITE_ROOT.length) : path;
}

function key(page, cell) {
  return `${PREFIX}${page}#${cell}`;
}

/** The saved edit of cell number `cell` on `page`: {code, original, saved}, or null
 * when there is none, it is not one of ours, or storage cannot be read. */
export function readEdit(page, cell) {
  let entry;
  try {
    entry = JSON.parse(window.localStorage.getItem(key(page, cell)) ?? "null");
  } catch {
    return null;
  }
  const valid = entry && typeof entry.code === "string" && typeof entry.original === "string"
    && Number.isFinite(entry.saved);
  return valid ? { code: entry.code, original: entry.original, saved: entry.saved } : null;
}

/** Save `code` as the reader's edit of a cell whose build code was `original`.
 * Returns false when storage refused (disabled, full). */
export function saveEdit(page, cell, { code, original }) {
  try {
    window.localStorage.setItem(key(page, cell), JSON.stringify({ code, original, saved: Date.now() }));
    return true;
  } catch {
    return false;
  }
}

/** Forget the saved edit of a cell (Reset, or the reader took the new version). */
export function forgetEdit(page, cell) {
  try {
    window.localStorage.removeItem(key(page, cell));
    return true;
  } catch {
    return false;
  }
}

/** When an edit was saved, as the reader's locale writes it. */
export function savedWhen(saved) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(saved));
}
