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
// Each cell element carries data-act-state (idle, running, done, error, stopped, failed)
// and data-act-runs (how many runs have ended), and fires a bubbling "act-cell:done"
// event after each run, for tests and tools. The module exports the Runtime it uses.

import { OutputView } from "./output.mjs";
import { Runtime, StoppedError, registerServiceWorker } from "./runtime.mjs";
import { mountWidgets } from "./widgets.mjs";

// Set when the site is built (esbuild --define), relative to this script: ACT_PYODIDE_URL,
// the folder of Pyodide and the site's lock file; ACT_PYODIDE_CDN, whether that folder
// sends the rest to a CDN (its pyodide-cdn.json); ACT_SERVICE_WORKER_URL, the service
// worker that keeps the folder's files in the browser for the next visits.
const indexURL = new URL(ACT_PYODIDE_URL, import.meta.url).href;
export const runtime = new Runtime({
  workerURL: new URL("./worker.js", import.meta.url).href,
  indexURL,
  lockFileURL: `${indexURL}pyodide-lock.json`,
  cdnManifestURL: ACT_PYODIDE_CDN ? `${indexURL}pyodide-cdn.json` : null,
  serviceWorker: registerServiceWorker(new URL(ACT_SERVICE_WORKER_URL, import.meta.url).href),
});

const HINT = "Shift+Enter or Ctrl/Cmd+Enter runs the cell. Esc then Tab leaves the editor.";
const MB = 1e6;

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
    this.highlight = element.querySelector(":scope > .highlight");
    this.original = this.highlight.querySelector("code").textContent.replace(/\n$/, "");
    this.output = element.querySelector(":scope > .act-cell-output");
    this.builtOutput = [...this.output.childNodes].map((node) => node.cloneNode(true));
    this.editor = null; // {view, module} once CodeMirror is loaded
    this.enhancing = false;
    this.running = false;
    this.runs = 0;
    this.gone = false;
    this.onStatus = ({ detail }) => this.running && this.#progress(detail);
    runtime.addEventListener("status", this.onStatus);
    this.#controls();
    this.#state("idle");
  }

  unmount() {
    this.gone = true;
    runtime.removeEventListener("status", this.onStatus);
    this.editor?.view.destroy();
  }

  // Replace the highlighted code by an editor holding the same code.
  async enhance() {
    if (this.editor || this.enhancing) return;
    this.enhancing = true;
    const module = await import("./editor.mjs");
    if (this.gone) return;
    const holder = document.createElement("div");
    holder.className = "act-cell-editor";
    this.highlight.after(holder);
    const view = module.createEditor({
      parent: holder,
      doc: this.code(),
      onRun: () => this.run(),
      contentAttributes: { "aria-label": `Python code of cell ${this.number}`, "aria-describedby": this.hint.id },
    });
    this.editor = { view, module };
    this.highlight.hidden = true;
    this.hint.hidden = false;
  }

  code() {
    return this.editor ? this.editor.module.code(this.editor.view) : this.original;
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
        this.#say(`${error.message} Restarting Python…`);
        runtime.addEventListener("restarted", ({ detail }) => this.#restarted(error.message, detail.replayed), { once: true });
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

  reset() {
    if (this.editor) this.editor.module.setCode(this.editor.view, this.original);
    this.output.replaceChildren(...this.builtOutput.map((node) => node.cloneNode(true)));
    this.output.dataset.actOutput = "build";
    this.#say("The original code and its output are back.");
    this.#state("idle");
  }

  #restarted(reason, replayed) {
    if (this.gone || this.running) return;
    const cells = replayed === 1 ? "1 cell that had run" : `${replayed} cells that had run`;
    this.#say(replayed ? `${reason} Python restarted and ran again the ${cells}, so their variables are back.` : `${reason} Python restarted.`);
  }

  #controls() {
    const button = (text, action) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className = `act-cell-button act-cell-${text.toLowerCase()}`;
      element.textContent = text;
      element.addEventListener("click", action);
      return element;
    };
    this.runButton = button("Run", () => this.run());
    this.stopButton = button("Stop", () => runtime.stop());
    this.stopButton.disabled = true;
    this.resetButton = button("Reset", () => this.reset());
    this.retryButton = button("Retry", () => this.run());
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
    this.hint.textContent = HINT;
    this.hint.hidden = true; // shown with the editor
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
