// The promise API between the page and the Python worker (worker.mjs).
//
// One Runtime serves the whole visit, across Material's instant navigation: Python
// starts once, and each page gets a fresh namespace (newPage). Every request carries
// an id, and every promise settles: with the worker's reply, or rejected with a
// readable message when the worker fails to load or crashes (its `error` event), when
// the boot stops making progress, when a run exceeds its time limit, or when the reader
// presses Stop.
//
// Stop, on a cross-origin isolated page (COOP and COEP headers; GitHub Pages cannot send
// them), interrupts Python as Ctrl+C does: the page writes SIGINT into a buffer it shares
// with the worker, Python raises KeyboardInterrupt at its next bytecode, and the page's
// variables stay. Elsewhere, or when Python does not respond within `interruptMs` (busy
// in C code, or catching KeyboardInterrupt), Stop ends the worker and starts a new one,
// then runs again, in order and silently, the cells of the page that had completed: the
// page's variables come back. A crash of Python itself (a fatal error of Pyodide, such
// as a WebAssembly memory fault) restarts it the same way.
//
// Python starts from a Python image (image.mjs) when there is one: the one this browser
// keeps, else the one the site ships (imageURL), in about a second instead of five; a
// restart after a Stop too. A Python started from scratch (the site ships no image, or
// it could not be used) makes one, once the page has been idle for `imageIdleMs`, in a
// worker of its own, for the next visits.
// Events: "status" (detail: {stage, text, loaded?, total?}) while Python starts or loads
// packages, "restarted" (detail: {replayed}) after a Stop or a crash, "image"
// (detail: {made} or {error}) when the making of an image has ended, and "idle" when the
// last request under way has settled (see `busy`).

// Exported for make_image.mjs: the site's image holds what packages, ahead and warmUp name.
export const DEFAULTS = {
  packages: ["activations"], // loadPackage brings numpy with it (the site's lock file)
  // Downloaded while Python starts (once the downloads of the boot are over, so they never
  // delay it), then loaded, and `warmUp` run, when Python is idle after a first cell: the
  // first plotting cell does not wait for matplotlib, nor the first number for it.
  ahead: ["matplotlib"],
  warmUp: [
    "import logging",
    'logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)',
    "import matplotlib",
    'matplotlib.use("Agg")',
    "import matplotlib.pyplot, matplotlib.backends.backend_svg",
    "import activations", // imported by the cells, and in an image only if imported here
  ].join("\n"),
  // Figures drawn, and thrown away, when Python is idle after a first cell (after warmUp):
  // a reader's re-run of a plotting cell then takes about half as long (kernel.rehearse).
  rehearsals: 5,
  serviceWorkerWaitMs: 2000, // at most this long for the service worker (option serviceWorker)
  stallMs: 20000, // a download that receives nothing for this long has failed
  runTimeoutMs: 10 * 60 * 1000, // a cell that runs this long is stopped
  interruptMs: 500, // Python answers a Stop this fast (ms), or its worker is replaced
  images: true, // use Python images at all: read, download (imageURL), keep or make one
  imageURL: null, // the folder of the image the site ships, if it ships one (worker.mjs)
  // Over a slower connection (bytes per second, measured as the site's image starts to
  // arrive) its download is given up and Python starts the ordinary way: the image is
  // 20 MB to download, Python's own parts 13, and only the image has matplotlib imported.
  // Where the image stops paying (benchmarks/image_gate.py, 12 to 60 Mbit/s): a first
  // figure comes sooner with it from about 24 Mbit/s, a first number from about 46; at
  // 40 either loses at most about 1 s on a first visit.
  imageMinRate: 5e6, // 40 Mbit/s
  keepImage: true, // make a Python image for the next visits (see above)
  imageIdleMs: 3000, // after the page has been idle this long
  imageTimeoutMs: 3 * 60 * 1000, // a making of the image that takes longer is given up
};

// A run or call that did not end by itself (Stop, time limit, a new page, a crash).
// `restarting`: Python is being restarted (a "restarted" event follows); false when it
// was interrupted and kept its variables.
export class StoppedError extends Error {
  name = "StoppedError";

  constructor(message, { restarting = true } = {}) {
    super(message);
    this.restarting = restarting;
  }
}

// Shared with the worker on a cross-origin isolated page (else null): [0] is Pyodide's
// interrupt buffer (2 = SIGINT), [1] counts the Stops, so that a run or call sent before
// the latest Stop does not start.
function stopSignals() {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer !== "function") return null;
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}
const SIGINT = 2;

export class Runtime extends EventTarget {
  #options;
  #worker = null;
  #ready = null; // Promise of the booted worker (null: not started, or failed)
  #nextId = 1;
  #pending = new Map(); // id -> {type, resolve, reject, onMessage, silenceMs, watchdog}
  #history = []; // [{code, cell}] run without error on this page, in order
  #loading = null; // {text, loaded, total} while Python starts, else null
  #booted = false; // the current worker has started Python and replayed the page's cells
  #signals = stopSignals();
  #imageWanted = false; // Python started from scratch: make an image when the page is idle
  #imageTimer = 0;
  #imageHeld = false; // the worker started from the site's image and has not kept it yet

  // options: workerURL, indexURL, lockFileURL (absolute URLs); cdnManifestURL (absolute,
  // or null when Pyodide is in indexURL itself: see site_src/pyodide_dist.py);
  // serviceWorker, the promise of registerServiceWorker(), awaited before Python starts;
  // and DEFAULTS' keys.
  constructor(options) {
    super();
    this.#options = { ...DEFAULTS, ...options };
  }

  // Change options (DEFAULTS' keys): runTimeoutMs from the next run, keepImage: false at
  // once (no image is made, unless already under way), the others from the next start of
  // Python.
  configure(options) {
    Object.assign(this.#options, options);
    if (!this.#options.keepImage) this.#imageWanted = false;
  }

  get started() {
    return this.#ready !== null;
  }

  // Whether a request is under way (starting Python, a run, a call, keeping the image);
  // an "idle" event says when none is left.
  get busy() {
    return this.#pending.size > 0;
  }

  // While Python starts: what it is doing ({text, loaded, total}); else null.
  get loading() {
    return this.#loading;
  }

  // Start Python (once); resolves when cells can run. After a failure, a new call retries.
  ready() {
    if (!this.#ready) this.#start([]);
    return this.#ready;
  }

  // Run a cell; onMessage gets its output messages as they come. Resolves to {ok}.
  async run(code, { cell, onMessage = () => {}, timeoutMs = this.#options.runTimeoutMs } = {}) {
    let ready;
    do await (ready = this.ready()); while (ready !== this.#ready); // a Stop meanwhile restarts
    const timer = setTimeout(() => this.stop(`The cell ran for more than ${timeoutMs / 1000} s: stopped.`), timeoutMs);
    try {
      const reply = await this.#request(this.#worker, { type: "run", code, cell }, onMessage);
      if (reply.ok) this.#history.push({ code, cell });
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }

  // Evaluate Python for the page's own scripts (the demos, not the reader's cells): code
  // runs in a namespace of its own, kept across pages but not across a restart (so code
  // must not assume what an earlier call defined), and is never replayed. Resolves to
  // the value of its last expression, converted to JavaScript (lists, numbers, strings,
  // objects for dicts); rejects with the traceback if it raised. Calls and runs take
  // turns in the one worker: keep each call short (milliseconds), so cells stay quick.
  async call(code, { timeoutMs = this.#options.runTimeoutMs } = {}) {
    let ready;
    do await (ready = this.ready()); while (ready !== this.#ready);
    const timer = setTimeout(() => this.stop(`A computation ran for more than ${timeoutMs / 1000} s: stopped.`), timeoutMs);
    try {
      return (await this.#request(this.#worker, { type: "call", code })).value;
    } finally {
      clearTimeout(timer);
    }
  }

  // End whatever runs or is waiting to run: each promise rejects with a StoppedError.
  // Python is interrupted if it can be (see the top of this file), else restarted at
  // once, with the page's completed cells run again.
  stop(reason = "Stopped.") {
    if (!this.#worker) return;
    const running = [...this.#pending.values()].filter((entry) => entry.type === "run" || entry.type === "call");
    if (this.#signals && this.#booted && running.length) this.#interrupt(running, reason);
    else this.#restart(new StoppedError(reason));
  }

  // A new page: its own namespace. A run still going belongs to the old page: stopped
  // (Python keeps starting if it was).
  async newPage() {
    this.#history = [];
    if (!this.#worker) return;
    if ([...this.#pending.values()].some((entry) => entry.type === "run")) {
      this.stop("Stopped: you left the page.");
      if (!this.#booted) return; // restarting: the new worker's namespace is fresh
    }
    await this.ready();
    await this.#request(this.#worker, { type: "page" });
  }

  // SIGINT for the request Python is running, and a Stop counted, which the worker reads
  // before starting a request sent earlier (it then fails at once): each of `running`
  // rejects with the StoppedError when its reply comes. The run's KeyboardInterrupt is its
  // output. No reply from one of them within interruptMs: the worker is replaced.
  #interrupt(running, reason) {
    const error = new StoppedError(`${reason} Python was interrupted and kept its variables.`, { restarting: false });
    for (const entry of running) entry.stopped = error;
    Atomics.add(this.#signals, 1, 1);
    Atomics.store(this.#signals, 0, SIGINT);
    const worker = this.#worker;
    setTimeout(() => {
      const stuck = running.some((entry) => [...this.#pending.values()].includes(entry));
      if (stuck && this.#worker === worker) this.#restart(new StoppedError(reason));
    }, this.#options.interruptMs);
  }

  // Python can no longer run (it crashed, `cause` says how): restart it with the page's
  // completed cells, unless it was still starting (then the start fails). Returns the
  // error that the pending requests reject with.
  #crashed(cause) {
    if (!this.#booted) {
      this.#kill(cause);
      return cause;
    }
    const error = new StoppedError(cause.message);
    this.#restart(error);
    return error;
  }

  // End the worker (pending requests reject with `error`); start a new one that runs
  // again the page's completed cells, then says "restarted".
  #restart(error) {
    this.#kill(error);
    const replay = this.#history;
    this.#history = [];
    this.#start(replay).then(() => this.#emit("restarted", { replayed: replay.length }), () => {});
  }

  // Boot a worker (then replay cells); this.#ready is its promise until it fails.
  #start(replay) {
    this.#booted = false;
    const attempt = this.#boot(replay);
    this.#ready = attempt;
    attempt.then(
      () => {
        if (this.#ready === attempt) this.#booted = true;
      },
      (error) => {
        if (this.#ready !== attempt) return; // superseded by a Stop
        this.#ready = null;
        this.#kill(error);
      },
    );
    return attempt;
  }

  async #boot(replay) {
    const { workerURL, indexURL, lockFileURL, cdnManifestURL, imageURL, images, imageMinRate } = this.#options;
    const { packages, ahead, warmUp, rehearsals, stallMs } = this.#options;
    this.#loading = { text: "Starting Python", loaded: 0, total: 0 };
    // The worker's requests go through the service worker that controls the page when the
    // worker is created (on a first visit, within a moment of the page's load).
    const { serviceWorker = null, serviceWorkerWaitMs } = this.#options;
    if (serviceWorker) await Promise.race([serviceWorker, new Promise((wait) => setTimeout(wait, serviceWorkerWaitMs))]);
    const worker = new Worker(workerURL, { type: "module" });
    this.#worker = worker;
    worker.addEventListener("message", ({ data }) => this.#receive(data));
    worker.addEventListener("error", (event) => {
      // Once Python has started, an error outside any request (a callback of the reader's
      // code that raised) leaves the worker usable; a crash of Python itself is reported
      // by the next request (a fatal "failed").
      if (this.#worker !== worker || this.#booted) return;
      event.preventDefault();
      this.#kill(new Error(`The Python worker failed: ${event.message || "it could not be loaded"}.`));
    });
    worker.addEventListener("messageerror", () => {
      if (this.#worker === worker) this.#kill(new Error("The Python worker sent a message the page could not read."));
    });
    try {
      const boot = { type: "boot", indexURL, lockFileURL, cdnManifestURL, imageURL, images, imageMinRate, packages, ahead, warmUp, rehearsals, stallMs };
      const { value } = await this.#request(worker, boot, null, stallMs * 2);
      const { keepImage } = this.#options;
      this.#imageHeld = value.unkept;
      if ((value.unkept || !value.fromImage) && images && keepImage && this.#imageTimer !== null) this.#imageWanted = true;
      this.#makeImageWhenIdle();
    } finally {
      if (this.#worker === worker) this.#loading = null;
    }
    for (const { code, cell } of replay) {
      const { ok } = await this.#request(worker, { type: "run", code, cell });
      if (ok) this.#history.push({ code, cell });
    }
  }

  // Send a request; resolve with its "done" reply, reject on "failed". `silenceMs`:
  // reject if the worker says nothing at all for that long.
  #request(worker, message, onMessage = null, silenceMs = 0) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (!worker) return reject(new Error("Python is not running."));
      clearTimeout(this.#imageTimer);
      const entry = { type: message.type, resolve, reject, onMessage, silenceMs, watchdog: 0 };
      this.#pending.set(id, entry);
      this.#watch(id, entry);
      const stop = this.#signals && { signals: this.#signals, stops: this.#signals[1] }; // see worker.mjs
      worker.postMessage({ id, ...stop, ...message });
    });
  }

  #watch(id, entry) {
    if (!entry.silenceMs) return;
    clearTimeout(entry.watchdog);
    entry.watchdog = setTimeout(() => {
      this.#kill(new Error(`Python did not start: nothing happened for ${entry.silenceMs / 1000} s.`));
    }, entry.silenceMs);
  }

  #receive(message) {
    const entry = this.#pending.get(message.id);
    if (!entry) return; // a request already settled (stopped)
    this.#watch(message.id, entry);
    if (message.type === "done" || message.type === "failed") {
      clearTimeout(entry.watchdog);
      this.#pending.delete(message.id);
      if (message.fatal) entry.reject(this.#crashed(new Error(message.message)));
      else if (entry.stopped) entry.reject(entry.stopped);
      else if (message.type === "done") entry.resolve(message);
      else entry.reject(new Error(message.message));
      this.#makeImageWhenIdle(); // idle from now on, unless another request is sent
      if (!this.#pending.size) this.#emit("idle", {});
    } else if (message.type === "status" || message.type === "progress") {
      if (this.#loading) {
        const { text = this.#loading.text, loaded = this.#loading.loaded, total = this.#loading.total } = message;
        this.#loading = { text, loaded, total };
      }
      this.#emit("status", message);
    } else {
      entry.onMessage?.(message);
    }
  }

  // Make the image (once) when no request has been under way for imageIdleMs.
  #makeImageWhenIdle() {
    clearTimeout(this.#imageTimer);
    if (!this.#imageWanted || this.#pending.size) return;
    this.#imageTimer = setTimeout(() => {
      if (this.#pending.size || !this.#imageWanted) return;
      this.#imageWanted = false;
      this.#imageTimer = null; // never again in this visit
      if (this.#imageHeld) this.#keepHeldImage();
      else this.#makeImage();
    }, this.#options.imageIdleMs);
  }

  // The worker started from the site's image: it keeps it for the next visits ("keep").
  #keepHeldImage() {
    this.#request(this.#worker, { type: "keep" }).then(
      ({ value }) => this.#emit("image", { made: value }),
      (error) => {
        console.warn(`The site's Python image was not kept for the next visits: ${error.message}`);
        this.#emit("image", { error: error.message });
      },
    );
  }

  // A worker of its own makes the image (worker.mjs, "image"), then ends. Its failure
  // leaves the reader's Python as it is: the next visit starts from scratch again.
  #makeImage() {
    const { workerURL, indexURL, lockFileURL, cdnManifestURL, packages, ahead, warmUp, stallMs } = this.#options;
    const worker = new Worker(workerURL, { type: "module" });
    const end = (detail) => {
      clearTimeout(timer);
      worker.terminate();
      if (detail.error) console.warn(`No Python image was made for the next visits: ${detail.error}`);
      this.#emit("image", detail);
    };
    const timer = setTimeout(() => end({ error: "it took too long" }), this.#options.imageTimeoutMs);
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "done") end({ made: data.value });
      else if (data.type === "failed") end({ error: data.message });
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      end({ error: event.message || "its worker failed" });
    });
    const request = { id: 0, type: "image", indexURL, lockFileURL, cdnManifestURL, warmUp, stallMs };
    worker.postMessage({ ...request, packages: [...new Set([...packages, ...ahead])] });
  }

  // End the worker; every pending request rejects with `error`.
  #kill(error) {
    this.#worker?.terminate();
    this.#worker = null;
    const settling = this.#pending.size > 0;
    for (const [id, entry] of this.#pending) {
      clearTimeout(entry.watchdog);
      this.#pending.delete(id);
      entry.reject(error);
    }
    if (settling) this.#emit("idle", {});
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

// Register the service worker that keeps Pyodide's files for the reader's next visits
// (site_src/live/service-worker.js). Resolves to true once it controls the page, so that
// a Python worker started afterwards goes through it, which fills its cache on the first
// visit too; to false when it cannot (no support, or the registration failed: Python then
// loads from the network, as without it).
export function registerServiceWorker(url) {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) return Promise.resolve(false);
  const registered = container.register(url);
  if (container.controller) {
    registered.catch(() => {});
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    container.addEventListener("controllerchange", () => resolve(true), { once: true });
    registered.catch(() => resolve(false));
  });
}
