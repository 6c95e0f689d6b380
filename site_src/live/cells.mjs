// Live cells: the page's ```python live blocks become editors whose code runs in Python
// in the browser (Pyodide in a Web Worker, see runtime.mjs).
//
// The build leaves each cell as highlighted code and the output of its code at build time
// (site_src/livecells.py), which is what readers without JavaScript see. Here each cell
// gets Run, Stop and Reset buttons and a status line; its code becomes a CodeMirror
// editor once the cell is on screen (editor.mjs, loaded only on pages with cells).
//
// Nothing of Pyodide is fetched until the reader runs a cell, or a cell is on screen and
// the browser is idle. Cells mount from Material's document$, which emits on every page,
// instant navigation included: the previous page's cells are unmounted, and the page gets
// a fresh Python namespace while Python itself keeps running.
//
// What the reader types is saved in the browser (edits.mjs) and is back on their next
// visit; Reset restores the build's code. On a narrow screen a cell is run-only: the
// highlighted code, Run, Stop, Reset and the output, without an editor.
//
// Each cell element carries data-act-mode (edit, or run on a narrow screen),
// data-act-state (idle, running, done, error, stopped, failed) and data-act-runs (how
// many runs have ended), and fires a bubbling "act-cell:done" event after each run, for
// tests and tools. The module exports the Runtime it uses.

import { forgetEdit, pagePath, readEdit, saveEdit, savedWhen } from "./edits.mjs";
import { OutputView } from "./output.mjs";
import { Runtime, StoppedError, registerServiceWorker } from "./runtime.mjs";
import { releaseSearch } from "./search.mjs";
import { mountWidgets } from "./widgets.mjs";

// Set when the site is built (esbuild --define), relative to this script: ACT_PYODIDE_URL,
// the folder of Pyodide and the site's lock file; ACT_PYODIDE_CDN, whether that folder
// sends the rest to a CDN (its pyodide-cdn.json); ACT_SERVICE_WORKER_URL, the service
// worker that keeps the folder's files in the browser for the next visits.
// The folder also holds the Python image of the site (its image/; not in cdn mode): not
// downloaded with the browser's data saver on. A reader can decline images altogether:
// localStorage[IMAGE_PREFERENCE] = "off".
const indexURL = new URL(ACT_PYODIDE_URL, import.meta.url).href;
const IMAGE_PREFERENCE = "activations:python-image";
export const runtime = new Runtime({
  workerURL: new URL("./worker.js", import.meta.url).href,
  indexURL,
  lockFileURL: `${indexURL}pyodide-lock.json`,
  cdnManifestURL: ACT_PYODIDE_CDN ? `${indexURL}pyodide-cdn.json` : null,
  imageURL: ACT_PYODIDE_CDN || navigator.connection?.saveData ? null : `${indexURL}image/`, // pyodide_dist.IMAGE_DIR
  images: imagesWanted(),
  serviceWorker: registerServiceWorker(new URL(ACT_SERVICE_WORKER_URL, import.meta.url).href),
});

function imagesWanted() {
  try {
    return localStorage.getItem(IMAGE_PREFERENCE) !== "off";
  } catch {
    return true; // storage refused: the default
  }
}

const HINT = "Shift+Enter or Ctrl/Cmd+Enter runs the cell. Esc then Tab leaves the editor.";
const RUN_ONLY_HINT = "On a narrow screen the code runs as it is: edit it on a wider screen.";
// Material's phone layout: below it a cell is run-only (no editor).
const NARROW = window.matchMedia("(max-width: 44.9375em)");
const SAVE_AFTER_MS = 400; // a pause in typing saves the edit
const MB = 1e6;

// Material's search index waits while Python starts (search.mjs).
releaseSearch(runtime, whenIdle);

let mounted = []; // the cells of the current page
let watcher = null; // their IntersectionObserver
let unmountWidgets = () => {}; // the page's demos (widgets.mjs)

document$.subscribe(() => {
  for (const cell of mounted) cell.unmount();
  watcher?.disconnect();
  unmountWidgets();
  runtime.newPage().catch(() => {}); // a failure shows when a cell runs
  unmountWidgets = mountWidgets(document, runtime);
  mounted = [...document.querySelectorAll(".act-cell[data-act-cell]")].map((element) => new Cell(element));
  watcher = mounted.length ? watchVisibility(mounted) : null;
});

// On screen: a cell gets its editor, and Python starts loading when the browser is idle.
function watchVisibility(cells) {
  let started = false;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      cells.find((cell) => cell.element === entry.target)?.enhance();
      observer.unobserve(entry.target);
      if (!started) {
        started = true;
        whenIdle(() => runtime.ready().catch(() => {}));
      }
    }
  });
  for (const cell of cells) observer.observe(cell.element);
  return observer;
}

function whenIdle(callback) {
  if ("requestIdleCallback" in window) requestIdleCallback(callback, { timeout: 5000 });
  else setTimeout(callback, 1000);
}

class Cell {
  constructor(element) {
    this.element = element;
    this.number = Number(element.dataset.actCell);
    this.page = pagePath();
    this.highlight = element.querySelector(":scope > .highlight");
    this.codeElement = this.highlight.querySelector("code");
    this.original = this.codeElement.textContent.replace(/\n$/, "");
    this.highlighted = [...this.codeElement.childNodes].map((node) => node.cloneNode(true));
    this.text = this.original; // the code while there is no editor
    this.output = element.querySelector(":scope > .act-cell-output");
    this.builtOutput = [...this.output.childNodes].map((node) => node.cloneNode(true));
    this.editor = null; // {view, module} once CodeMirror is loaded
    this.wanted = false; // the editor was asked for (on screen, or a saved edit)
    this.enhancing = false;
    this.running = false;
    this.runs = 0;
    this.gone = false;
    // Saving: `base` is the build's code the reader's edit started from (the current
    // original, or an older one until the reader decides about a new version).
    this.base = this.original;
    this.unsaved = false;
    this.saveTimer = null;
    this.saveRefused = false;
    this.notice = null;
    this.onStatus = ({ detail }) => this.running && this.#progress(detail);
    this.onPageHide = () => this.#saveNow();
    this.onWidth = () => this.#layout();
    // Material makes a code block that scrolls sideways focusable only where the pointer
    // can hover; a run-only cell's code must be reachable by keyboard on a phone too.
    // Observers run in the order they were made, so this one runs after Material's.
    this.sizes = new ResizeObserver(() => this.#focusableCode());
    this.sizes.observe(this.codeElement);
    runtime.addEventListener("status", this.onStatus);
    window.addEventListener("pagehide", this.onPageHide);
    NARROW.addEventListener("change", this.onWidth);
    this.#controls();
    this.#state("idle");
    this.#restore();
    this.#layout();
  }

  unmount() {
    this.#saveNow(); // instant navigation: nothing typed is lost
    this.gone = true;
    runtime.removeEventListener("status", this.onStatus);
    window.removeEventListener("pagehide", this.onPageHide);
    NARROW.removeEventListener("change", this.onWidth);
    this.sizes.disconnect();
    this.editor?.view.destroy();
  }

  // Replace the highlighted code by an editor holding the same code, unless the screen
  // is narrow: there the cell is run-only (#layout).
  async enhance() {
    this.wanted = true;
    if (this.editor || this.enhancing || NARROW.matches) return;
    this.enhancing = true;
    const module = await import("./editor.mjs");
    if (this.gone) return;
    const holder = document.createElement("div");
    holder.className = "act-cell-editor";
    this.highlight.after(holder);
    const view = module.createEditor({
      parent: holder,
      doc: this.text,
      onRun: () => this.run(),
      onChange: () => this.#edited(),
      contentAttributes: { "aria-label": `Python code of cell ${this.number}`, "aria-describedby": this.hint.id },
    });
    this.editor = { view, module };
    this.highlight.hidden = true;
    this.#layout();
  }

  code() {
    return this.editor ? this.editor.module.code(this.editor.view) : this.text;
  }

  async run() {
    if (this.running) return;
    this.running = true;
    this.#state("running");
    this.#busy(true);
    const loading = runtime.loading ?? (runtime.started ? null : { text: "Starting Python" });
    if (loading) {
      this.#progress({ type: "status", text: loading.text });
      if (loading.total) this.#progress({ type: "progress", ...loading });
    } else {
      this.#say("Running…");
    }
    let view = null;
    const show = (message) => (view ??= new OutputView(this.output)).add(message);
    const started = performance.now();
    let state = "done";
    try {
      const { ok } = await runtime.run(this.code(), { cell: this.number, onMessage: show });
      view ??= new OutputView(this.output);
      state = ok ? "done" : "error";
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      this.#say(ok ? `Ran in ${seconds} s.` : "The cell raised an exception: its traceback is below.");
    } catch (error) {
      if (error instanceof StoppedError) {
        state = "stopped";
        (view ??= new OutputView(this.output)).note(error.message);
        if (!error.restarting) {
          this.#say(error.message); // interrupted: its KeyboardInterrupt is in the output
        } else {
          this.#say(`${error.message} Restarting Python…`);
          runtime.addEventListener("restarted", ({ detail }) => this.#restarted(error.message, detail.replayed), { once: true });
        }
      } else {
        state = "failed";
        this.#say(error.message, { retry: true });
      }
    } finally {
      this.running = false;
      this.#busy(false);
    }
    this.#state(state);
    this.element.dataset.actRuns = ++this.runs;
    this.element.dispatchEvent(new CustomEvent("act-cell:done", { bubbles: true, detail: { state } }));
  }

  // The build's code and output come back and the saved edit is forgotten. In the
  // editor this is one change, so Ctrl+Z brings the edit back (and saves it again).
  reset() {
    const edited = this.code() !== this.original;
    this.#setCode(this.original);
    this.#forget();
    this.notice?.remove();
    this.notice = null;
    this.output.replaceChildren(...this.builtOutput.map((node) => node.cloneNode(true)));
    this.output.dataset.actOutput = "build";
    const undo = edited && this.editor ? " Ctrl+Z in the editor brings your edit back." : "";
    this.#say(`The original code and its output are back.${undo}`);
    this.#state("idle");
  }

  // -- saved edits (edits.mjs) ----------------------------------------------------------
  // A saved edit of this cell is shown instead of the build's code; the editor loads
  // right away, since the highlighted code is not what the reader wrote.
  #restore() {
    const saved = readEdit(this.page, this.number);
    if (!saved) return;
    if (saved.code === this.original) {
      this.#forget(); // a new build adopted the edit: nothing of the reader's is lost
      return;
    }
    this.#setCode(saved.code);
    if (saved.original === this.original) {
      this.#say(`Your edit from ${savedWhen(saved.saved)} is back. Reset restores the original.`);
    } else {
      this.base = saved.original;
      this.#offerNewVersion(saved);
    }
    this.enhance();
  }

  // The build changed this cell since the reader edited it: their edit stays, and a
  // note offers the new version. Taking it keeps the edit on the page until the reader
  // leaves it (shown, to copy, with a button that brings it back).
  #offerNewVersion(saved) {
    const notice = this.#notice(
      `This cell has a new version since your edit from ${savedWhen(saved.saved)}. `
      + "Your edit is shown, and Run runs it.",
    );
    notice.append(
      this.#button("Use the new version", "act-cell-new", () => this.#useNewVersion()),
      this.#button("Keep my edit", "act-cell-keep", () => this.#keepEdit("Your edit is kept. Reset restores the new version.")),
    );
  }

  #useNewVersion() {
    const mine = this.code();
    this.#setCode(this.original);
    this.#forget();
    const notice = this.#notice("The new version is in place. Your edit, until you leave this page:");
    const pre = document.createElement("pre");
    pre.className = "act-cell-previous";
    const code = document.createElement("code");
    code.textContent = mine;
    code.tabIndex = 0; // it may scroll: the keyboard can reach it
    code.setAttribute("aria-label", `Your edit of cell ${this.number}`);
    pre.append(code);
    const back = this.#button("Back to my edit", "act-cell-back", () => {
      this.#setCode(mine);
      this.#keepEdit("Your edit is back. Reset restores the new version.");
    });
    notice.append(pre, back);
    back.focus();
    this.#say("The new version is in place.");
  }

  // The reader's edit, now based on the current original: saved, no more notice.
  #keepEdit(message) {
    this.base = this.original;
    this.unsaved = true;
    this.#saveNow();
    this.notice?.remove();
    this.notice = null;
    this.runButton.focus();
    if (!this.saveRefused) this.#say(message);
  }

  // A notice above the code (replacing any other): its text, then its buttons.
  #notice(text) {
    const notice = document.createElement("div");
    notice.className = "act-cell-notice";
    const paragraph = document.createElement("p");
    paragraph.textContent = text;
    notice.append(paragraph);
    if (this.notice) this.notice.replaceWith(notice);
    else this.element.prepend(notice);
    this.notice = notice;
    return notice;
  }

  // Typing saves after a pause; leaving the page (pagehide, instant navigation) saves at once.
  #edited() {
    this.unsaved = true;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.#saveNow(), SAVE_AFTER_MS);
  }

  #saveNow() {
    clearTimeout(this.saveTimer);
    if (!this.unsaved || this.gone) return;
    this.unsaved = false;
    const code = this.code();
    if (code === this.original && this.base === this.original) {
      this.#forget();
      return;
    }
    if (saveEdit(this.page, this.number, { code, original: this.base })) return;
    if (!this.saveRefused) {
      this.saveRefused = true;
      this.#say("This browser does not let the page save your edits (storage is off or full): they last until you leave the page.");
    }
  }

  #forget() {
    clearTimeout(this.saveTimer);
    this.unsaved = false;
    this.base = this.original;
    forgetEdit(this.page, this.number);
  }

  // Show `text` as the cell's code: in the editor (one undoable change), else in place
  // of the highlighted code (the build's highlighting when it is the original).
  #setCode(text) {
    this.text = text;
    if (this.editor) {
      this.editor.module.setCode(this.editor.view, text);
      this.unsaved = false; // the caller saves or forgets
      clearTimeout(this.saveTimer);
    } else if (text === this.original) {
      this.codeElement.replaceChildren(...this.highlighted.map((node) => node.cloneNode(true)));
    } else {
      this.codeElement.textContent = `${text}\n`;
    }
    this.#focusableCode();
  }

  // -- layout ---------------------------------------------------------------------------
  // Wide screens edit in CodeMirror. Narrow ones (phones) keep the highlighted code,
  // read-only and scrolling sideways, with Run, Stop and Reset: a saved edit from a
  // wider screen shows there as text and runs as it is. A screen that becomes wide
  // gets its editor; one that becomes narrow keeps it (the reader may be typing).
  #layout() {
    const runOnly = !this.editor && NARROW.matches;
    this.element.dataset.actMode = runOnly ? "run" : "edit";
    this.hint.textContent = runOnly ? RUN_ONLY_HINT : HINT;
    this.hint.hidden = !runOnly && !this.editor;
    if (!runOnly && this.wanted && !this.editor) this.enhance();
    this.#focusableCode();
  }

  #focusableCode() {
    const code = this.codeElement;
    if (this.element.dataset.actMode === "run" && code.scrollWidth > code.clientWidth) code.tabIndex = 0;
  }

  #restarted(reason, replayed) {
    if (this.gone || this.running) return;
    const cells = replayed === 1 ? "1 cell that had run" : `${replayed} cells that had run`;
    this.#say(replayed ? `${reason} Python restarted and ran again the ${cells}, so their variables are back.` : `${reason} Python restarted.`);
  }

  #button(text, className, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `act-cell-button ${className}`;
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  #controls() {
    this.runButton = this.#button("Run", "act-cell-run", () => this.run());
    this.stopButton = this.#button("Stop", "act-cell-stop", () => runtime.stop());
    this.stopButton.disabled = true;
    this.resetButton = this.#button("Reset", "act-cell-reset", () => this.reset());
    this.retryButton = this.#button("Retry", "act-cell-retry", () => this.run());
    this.retryButton.hidden = true;
    this.status = document.createElement("span");
    this.status.className = "act-cell-status";
    this.status.setAttribute("role", "status");
    this.progress = document.createElement("progress");
    this.progress.className = "act-cell-progress";
    this.progress.hidden = true;
    this.progress.setAttribute("aria-label", "Loading Python");
    this.bytes = document.createElement("span"); // not in the status: no announcement per chunk
    this.bytes.className = "act-cell-bytes";
    this.bytes.hidden = true;
    const bar = document.createElement("div");
    bar.className = "act-cell-bar";
    bar.append(this.runButton, this.stopButton, this.resetButton, this.status, this.progress, this.bytes, this.retryButton);
    this.hint = document.createElement("p");
    this.hint.className = "act-cell-hint";
    this.hint.id = `act-cell-hint-${this.number}`;
    this.hint.hidden = true; // #layout shows it
    this.highlight.after(this.hint);
    this.output.before(bar);
  }

  // Run stays enabled (a second press is ignored), so the focus stays where it is.
  #busy(busy) {
    if (!busy && document.activeElement === this.stopButton) this.runButton.focus();
    this.stopButton.disabled = !busy;
    if (!busy) this.progress.hidden = this.bytes.hidden = true;
  }

  #progress({ type, text, loaded, total }) {
    if (type === "status") {
      this.#say(`${text}…`);
      return;
    }
    const size = Math.max(total, loaded, 1);
    this.progress.hidden = this.bytes.hidden = false;
    this.progress.max = size;
    this.progress.value = loaded;
    this.bytes.textContent = `${(loaded / MB).toFixed(1)} of ${(size / MB).toFixed(1)} MB`;
  }

  #say(text, { retry = false } = {}) {
    this.status.textContent = text;
    this.retryButton.hidden = !retry;
  }

  #state(state) {
    this.element.dataset.actState = state;
  }
}
