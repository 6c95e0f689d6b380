// The Python worker (a module Web Worker): Pyodide lives here, never on the page's
// main thread, so a long computation cannot freeze the page. It only runs Python; the
// page talks to it through runtime.mjs.
//
// Requests (page -> worker), each with an `id`, handled one at a time in arrival order:
//   {type: "boot", indexURL, lockFileURL, cdnManifestURL, imageURL, images, imageMinRate,
//    packages, ahead, warmUp, rehearsals, stallMs}
//                             start Pyodide, load packages (see boot()); value:
//                             {fromImage, unkept} (unkept: see "keep")
//   {type: "image", indexURL, lockFileURL, cdnManifestURL, packages, warmUp, stallMs}
//                             in a worker of its own: make the Python image of the
//                             site's lock file and keep it (image.mjs); value: whether
//                             one was made (false: there already is one)
//   {type: "keep"}            keep the site's image, which Python started from, in the
//                             browser (image.mjs); value: whether there was one to keep
//   {type: "page"}                                              a fresh namespace (new page)
//   {type: "run", code, cell}                                   run a cell
//   {type: "call", code}      evaluate code for the page's own scripts (the demos): in a
//                             namespace of its own that outlives pages, the value of its
//                             last expression converted to JavaScript (dicts to objects)
// On a cross-origin isolated page every request also carries `signals`, an Int32Array
// shared with the page ([0]: Pyodide's interrupt buffer, where Stop writes SIGINT; [1]:
// how many Stops so far), and `stops`, [1] when the page sent it (see interruptible()).
// Replies (worker -> page), each with the `id` of its request:
//   {type: "status", stage, text}        what is happening ("download", "start", "packages")
//   {type: "progress", loaded, total}    bytes downloaded so far, of those announced
//   {type: "stream" | "result" | "display" | "error", ...}   a cell's output (kernel.py)
//   {type: "done", ok, value?}           the request is complete (ok: the cell raised nothing;
//                                        value: what a "call" evaluated to)
//   {type: "failed", message, fatal?}    the request could not be carried out; readable.
//                                        fatal: Python crashed, this worker can run no more
// Every request ends with exactly one "done" or "failed".

import { canKeepImages, closure, discardImage, hasImage, imageName, loadAll, newImage, readImage, readShippedImage, restoreImage, saveImage, startWithLibraries } from "./image.mjs";
import kernelSource from "./kernel.py";

const KERNEL_MODULE = "act_live_kernel";

let pyodide = null;
let session = null; // kernel.Session of the current page
let tools = null; // the namespace of "call" requests (a Python dict)
let downloads = null; // watchDownloads(), from the first boot on
let queue = Promise.resolve();
let unkept = null; // {name, image}: the site's image Python started from, not yet kept

self.addEventListener("message", ({ data }) => {
  if (data.type === "keep") return keep(data); // no Python: not queued behind the cells
  warmUpWhenIdle.postpone();
  queue = queue.then(() => handle(data)).then(() => warmUpWhenIdle.after(data));
});

// Keep the site's image, which this Python started from, in the browser for the next
// visits (image.mjs). The value: whether there was one to keep.
async function keep({ id }) {
  try {
    const held = unkept;
    unkept = null;
    if (held) await saveImage(held.name, held.image);
    self.postMessage({ id, type: "done", ok: true, value: Boolean(held) });
  } catch (error) {
    self.postMessage({ id, type: "failed", message: error?.message ?? String(error) });
  }
}

async function handle(request) {
  const post = (message) => self.postMessage({ id: request.id, ...message });
  downloads?.report(post); // progress of what this request downloads
  try {
    if (request.type === "boot") return post({ type: "done", ok: true, value: await boot(request, post) });
    else if (request.type === "image") return post({ type: "done", ok: true, value: await makeImage(request, post) });
    else if (request.type === "page") newSession();
    else if (request.type === "run") return post({ type: "done", ok: await interruptible(request, () => run(request, post)) });
    else if (request.type === "call") {
      return post({ type: "done", ok: true, value: await interruptible(request, () => call(request, post)) });
    }
    else throw new Error(`unknown request type ${JSON.stringify(request.type)}`);
    post({ type: "done", ok: true });
  } catch (error) {
    const message = error?.message ?? String(error);
    if (crashed()) post({ type: "failed", message: `Python crashed: ${message.replace(/\.$/, "")}.`, fatal: true });
    else post({ type: "failed", message });
  }
}

// Do `work` for a run or call request so that a Stop (runtime.mjs) interrupts it: Python
// raises KeyboardInterrupt at its next bytecode once the page writes SIGINT into
// signals[0]. Only runs and calls: a Stop never lands in a new page's namespace or a boot.
// A request sent before the latest Stop does not start; a SIGINT still in the buffer
// was meant for an earlier request (which ended before Python saw it): cleared first,
// then the Stops counted, so that a Stop arriving in between is never lost.
async function interruptible({ signals, stops }, work) {
  if (!signals) return work();
  Atomics.store(signals, 0, 0);
  if (Atomics.load(signals, 1) !== stops) throw new Error("Stopped before it started.");
  pyodide.setInterruptBuffer(signals);
  try {
    return await work();
  } finally {
    if (!crashed()) pyodide.setInterruptBuffer(undefined);
  }
}

// Whether Pyodide has suffered a fatal error (a WebAssembly trap such as a memory fault,
// or an abort): from then on every use of it throws, and only a new worker can run Python.
function crashed() {
  if (!pyodide) return false;
  try {
    void pyodide.globals; // a getter that throws once Pyodide has failed
    return false;
  } catch {
    return true;
  }
}

// Start Pyodide and load `packages`; fetch the wheels of `ahead` meanwhile, and load them,
// run `warmUp` and draw `rehearsals` figures (kernel.rehearse: the first drawings are
// slow) when Python is idle after a first cell (warmUpWhenIdle). Resolves to
// {fromImage}: whether Python was restored from an image (image.mjs), which has all of it
// loaded and imported already: the one this browser keeps, else the one the site ships
// in `imageURL` (self-hosted mode; then kept in the browser for the next visits). No
// image is read or kept unless `images`; one that cannot be used is passed over, with a
// warning on the console.
//
// The lock file (it names the wheels) and the core files are requested at once; the
// wheels of `packages` as soon as the lock is there, while the core files arrive and the
// WebAssembly compiles; those of `ahead` once nothing of the boot is still arriving, so
// they never delay it. Pyodide's own requests for those wheels are answered from what has
// arrived meanwhile (downloads.prefetch).
//
// cdnManifestURL (site_src/pyodide_dist.py, cdn mode): the core files and the official
// wheels come from the CDN the manifest names, each core file checked against its sha384
// (downloads.require adds `integrity` to every request for it, Pyodide's own included);
// the lock file and the activations wheel come from the site.
async function boot({ indexURL, lockFileURL, cdnManifestURL, imageURL = null, images = true, imageMinRate, packages, ahead = [], warmUp = "", rehearsals = 0, stallMs }, post) {
  if (pyodide) throw new Error("Python is already running in this worker");
  downloads = watchDownloads(stallMs);
  downloads.report(post);
  // Pyodide never settles when its .wasm fails to arrive: a failed download ends the boot.
  const failing = (promise) => Promise.race([promise, downloads.failed]);
  post({ type: "status", stage: "download", text: "Downloading Python" });
  const lockFile = failing(fetch(lockFileURL).then((response) => response.text()));
  const core = failing(cdnManifestURL ? coreFromCdn(cdnManifestURL) : coreFrom(indexURL));
  const lockText = await lockFile;
  const [lock, lockBlob] = siteLock(lockText, lockFileURL);
  // The first image that restores: the one this browser keeps, else the one the site
  // ships (then kept for the next visits, see "keep").
  const name = await imageName(lockText);
  const keeping = images && canKeepImages();
  const restore = async (image, unusable) => {
    if (!image) return null;
    post({ type: "status", stage: "start", text: "Starting Python" });
    return (await failing(startFromImage(image, await core, lockBlob)).catch(unusable)) ?? null;
  };
  pyodide = await restore(keeping && (await readImage(name).catch(discardImage)), discardImage);
  let shipped = null;
  if (!pyodide && images && imageURL) {
    shipped = await downloadShippedImage(imageURL, name, imageMinRate);
    pyodide = await restore(shipped, shippedUnusable);
  }
  const fromImage = Boolean(pyodide);
  const now = closure(lock, packages);
  if (!fromImage) {
    for (const name of now) downloads.prefetch(lock.packages[name].file_name, wheelIntegrity(lock.packages[name]));
    const started = await core;
    // loadPyodide requests the standard library at once (and, in cdn mode, the .wasm).
    const starting = failing(startWithLibraries(started, { indexURL: started.index, lockFileURL: lockBlob }, { files: [], libraries: [] }).then(([python]) => python));
    downloads.whenQuiet().then(() => {
      for (const name of closure(lock, ahead)) {
        if (now.includes(name)) continue;
        downloads.prefetch(lock.packages[name].file_name, wheelIntegrity(lock.packages[name]), { background: true });
      }
    });
    pyodide = await starting;
  }
  URL.revokeObjectURL(lockBlob);
  post({ type: "status", stage: "packages", text: `Loading ${packages.join(", ")}` });
  await failing(loadAll(pyodide, packages, loadingStatus(post)));
  pyodide.FS.writeFile(`${pyodide.FS.cwd()}/${KERNEL_MODULE}.py`, kernelSource);
  newSession();
  warmUpWhenIdle.steps = [
    () => pyodide.loadPackage(ahead, { messageCallback: () => {}, errorCallback: () => {} }),
    () => pyodide.runPythonAsync(warmUp),
    ...Array.from({ length: rehearsals }, () => rehearse),
  ];
  // Kept when the page asks ("keep"), once it has been idle: writing 100 MB would slow
  // the first cells.
  if (fromImage && shipped && keeping) unkept = { name, image: shipped };
  return { fromImage, unkept: Boolean(unkept) };
}

// The site's image, unless the connection is slower than `minRate` (bytes per second;
// runtime.mjs, imageMinRate, says why): the rate is measured over the first
// IMAGE_PROBE_MS of the image's bytes; an image that has arrived by then is used.
const IMAGE_PROBE_MS = 500;

async function downloadShippedImage(imageURL, name, minRate) {
  const abort = new AbortController();
  let answered;
  const answers = new Promise((resolve) => (answered = resolve));
  const reading = readShippedImage(imageURL, name, { signal: abort.signal, arriving: answered });
  const settled = reading.then(() => "settled", () => "settled");
  if ((await Promise.race([answers, settled])) !== "settled") {
    const [since, from] = [performance.now(), downloads.received()];
    const probed = new Promise((resolve) => setTimeout(resolve, IMAGE_PROBE_MS, "probed"));
    if ((await Promise.race([probed, settled])) === "probed") {
      const rate = (downloads.received() - from) / ((performance.now() - since) / 1000);
      if (rate < minRate) {
        abort.abort();
        reading.catch(() => {});
        console.info(`The site's Python image is not downloaded: over this connection (${(rate / 1e6).toFixed(1)} MB/s) Python starts sooner anew.`);
        return null;
      }
    }
  }
  return reading.catch(shippedUnusable);
}

// The site's image could not be read or restored: Python starts the ordinary way.
function shippedUnusable(error) {
  console.warn("The site's Python image could not be used: Python starts anew.", error);
  return null;
}

// Python restored from an image (image.mjs): its libraries compiled, loaded where the
// image has them, its memory and its files put back.
async function startFromImage({ memory, files, meta }, core, lockFileURL) {
  const bytes = new Map(files);
  const libraries = meta.libraries.map((path) => {
    if (!bytes.has(path)) throw new Error(`the image lacks its library ${path}`);
    return [path, bytes.get(path)];
  });
  const options = { indexURL: core.index, lockFileURL, _loadSnapshot: memory };
  const [restored, module] = await startWithLibraries(core, options, { files, libraries, layout: meta.layout });
  restoreImage(restored, module, meta);
  return restored;
}

// Make the image of `packages` (image.mjs) and keep it, unless the browser has it already:
// a Python of this worker's own starts with the packages' libraries loaded ahead, loads
// the packages, runs `warmUp` (the imports), and its memory is copied. The reader's
// Python is another worker's: this runs beside it, when the page is idle (runtime.mjs).
async function makeImage({ indexURL, lockFileURL, cdnManifestURL, packages, warmUp = "", stallMs }, post) {
  if (pyodide) throw new Error("Python is already running in this worker");
  if (!canKeepImages()) return false;
  downloads = watchDownloads(stallMs);
  const lockText = await (await fetch(lockFileURL)).text();
  const name = await imageName(lockText);
  if (await hasImage(name)) return false;
  const [lock, lockBlob] = siteLock(lockText, lockFileURL);
  const names = closure(lock, packages);
  const core = cdnManifestURL ? coreFromCdn(cdnManifestURL) : coreFrom(indexURL);
  const wheels = names.map((name) => {
    const spec = lock.packages[name];
    return fetch(spec.file_name, { integrity: wheelIntegrity(spec) }).then((response) => response.arrayBuffer());
  });
  const options = { indexURL: (await core).index, lockFileURL: lockBlob };
  const made = { names, wheels: await Promise.all(wheels), warmUp };
  await saveImage(name, await newImage(await core, options, made, loadingStatus(post)));
  return true;
}

// The site's lock file (its text) as Pyodide is given it: [the lock, a blob URL of it].
// Every file_name made absolute, resolved against the lock's own URL (Pyodide would
// resolve a relative one against indexURL, which is the CDN in cdn mode); a blob URL,
// so that it is not downloaded twice.
function siteLock(lockText, lockFileURL) {
  const lock = JSON.parse(lockText);
  for (const spec of Object.values(lock.packages)) spec.file_name = new URL(spec.file_name, lockFileURL).href;
  return [lock, URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }))];
}

// Pyodide's module from the site's folder, and, begun at once (beside the lock file and
// the image, which Python cannot start without): its .wasm compiled as it arrives, its
// pyodide.asm.js run. startWithLibraries instantiates that module; Pyodide's own requests
// for the .wasm (one per start: a restore that fails starts again), which it would compile
// again, are answered with nothing. A first visit's first figure about 0.2 s sooner: the
// .wasm compiles while the image downloads.
async function coreFrom(indexURL) {
  const wasmURL = `${indexURL}pyodide.asm.wasm`;
  const compiled = WebAssembly.compileStreaming(fetch(wasmURL));
  compiled.catch(() => {}); // fails the start (startWithLibraries)
  downloads.forgo(wasmURL);
  const emscripten = import(`${indexURL}pyodide.asm.js`);
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  return { loadPyodide, index: indexURL, emscripten, compiled };
}

// Pyodide's module from the CDN, its scripts checked against the manifest's integrity;
// `emscripten` resolves once the checked pyodide.asm.js has run.
// import() takes no integrity: both scripts are fetched through the check and imported
// from blob URLs. loadPyodide imports pyodide.asm.js itself unless _createPyodideModule
// exists: a stand-in waits for the checked copy, which replaces it when it runs.
async function coreFromCdn(manifestURL) {
  const manifest = await (await fetch(manifestURL)).json();
  downloads.require(manifest.integrity);
  const asmScript = importChecked(`${manifest.indexURL}pyodide.asm.js`);
  asmScript.catch(() => {}); // a failure is reported through downloads.failed
  globalThis._createPyodideModule = async (settings) => {
    await asmScript;
    return globalThis._createPyodideModule(settings);
  };
  const { loadPyodide } = await importChecked(`${manifest.indexURL}pyodide.mjs`);
  return { loadPyodide, index: manifest.indexURL, emscripten: asmScript };
}

// The integrity Pyodide itself checks a wheel with: the lock's sha256, in base64.
function wheelIntegrity({ sha256 }) {
  const bytes = sha256.match(/../g).map((hex) => parseInt(hex, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

// A module script fetched through the integrity check, then imported from a blob URL.
async function importChecked(url) {
  const response = await fetch(url);
  const script = URL.createObjectURL(new Blob([await response.arrayBuffer()], { type: "text/javascript" }));
  try {
    return await import(script);
  } finally {
    URL.revokeObjectURL(script);
  }
}

// Work done ahead of need (loading matplotlib, importing pyplot, rehearsing a drawing), one
// step at a time once no request has arrived for IDLE_MS after a cell ran, the next step
// in a task of its own: a request that arrives meanwhile runs first, and waits at most for
// the one step under way.
const warmUpWhenIdle = {
  IDLE_MS: 300,
  steps: [], // set by boot()
  armed: false, // a cell has run
  timer: 0,
  postpone() {
    clearTimeout(this.timer);
  },
  after(request) {
    if (request.type === "run" || request.type === "call") this.armed = true;
    if (!this.armed || !this.steps.length) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const step = this.steps.shift();
      queue = queue
        .then(step)
        .catch((error) => console.warn("Python's warm-up step failed (a cell that needs it will say why):", error))
        .then(() => this.after({ type: "warm-up" }));
    }, request.type === "warm-up" ? 0 : this.IDLE_MS);
  },
};

// Draw a figure and throw it away (kernel.rehearse).
function rehearse() {
  const kernel = pyodide.pyimport(KERNEL_MODULE);
  try {
    kernel.rehearse();
  } finally {
    kernel.destroy();
  }
}

function newSession() {
  if (!pyodide) throw new Error("Python has not started");
  session?.destroy();
  const kernel = pyodide.pyimport(KERNEL_MODULE);
  session = kernel.Session();
  kernel.destroy();
}

async function run({ code, cell }, post) {
  if (!session) throw new Error("Python has not started");
  // The site's lock file knows numpy, matplotlib and activations: an import of one of
  // them that is not loaded yet fetches it now (matplotlib on its first use).
  const problems = [];
  await pyodide.loadPackagesFromImports(code, {
    messageCallback: loadingStatus(post),
    errorCallback: (text) => problems.push(text),
  });
  for (const text of problems) post({ type: "stream", name: "stderr", text: `${text}\n` });
  post({ type: "status", stage: "run", text: "Running" });
  return session.run_json(code, cell, (json) => post(JSON.parse(json)));
}

// Evaluate code for a script of the page; a Python exception fails the request with its
// traceback. numpy arrays must be converted by the code (.tolist()): the value crosses
// to the page by structured clone, so no PyProxy may remain in it.
async function call({ code }, post) {
  if (!pyodide) throw new Error("Python has not started");
  await pyodide.loadPackagesFromImports(code, { messageCallback: loadingStatus(post) });
  tools ??= pyodide.globals.get("dict")();
  const value = await pyodide.runPythonAsync(code, { globals: tools });
  if (!(value instanceof pyodide.ffi.PyProxy)) return value;
  try {
    return value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  } finally {
    value.destroy();
  }
}

// Pyodide's "Loading numpy, …" as a status; not its "already loaded" and "Loaded" notes.
function loadingStatus(post) {
  return (text) => text.startsWith("Loading ") && post({ type: "status", stage: "packages", text });
}

// Every download of the worker goes through here (it replaces the global fetch, which
// Pyodide uses too):
// * the bytes are counted, reported as progress of the current request (report());
// * a failed or stalled download becomes a readable error: `failed` rejects with the first
//   one (and the fetch itself rejects with it);
// * require(integrity): each request for one of those URLs carries its SRI string, and
//   one whose bytes do not match fails naming the file;
// * prefetch(url, integrity): the download starts now; the first fetch of that URL gets
//   its bytes, received meanwhile. A `background` one is not counted in the progress and
//   fails nobody: if it fails, a later fetch of the URL downloads it again;
// * whenQuiet(): resolves once no download but background ones is under way.
function watchDownloads(stallMs) {
  const plainFetch = globalThis.fetch.bind(globalThis);
  const required = new Map(); // URL -> integrity
  const prefetched = new Map(); // URL -> Promise of a Response whose bytes have arrived
  const forgone = new Set(); // URLs whose requests are answered with nothing (forgo)
  let loaded = 0;
  let total = 0;
  let underWay = 0; // downloads that are not background ones
  let onQuiet = [];
  let post = () => {};
  const onProgress = () => post({ type: "progress", loaded, total });
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed through Promise.race only while booting
  // A failed download fails the boot, unless it is a background or an optional one (the
  // caller copes without it): those only throw.
  const problem = (text, fatal) => {
    const error = new Error(text);
    if (fatal) fail(error);
    return error;
  };

  async function download(url, init, { quiet = false, optional = false } = {}) {
    if (quiet) return receive(url, init, { quiet });
    underWay += 1;
    const end = () => {
      underWay -= 1;
      if (!underWay) for (const resolve of onQuiet.splice(0)) resolve();
    };
    const response = receive(url, init, { optional, ended: end });
    response.catch(() => {});
    return response;
  }

  // The response of `url`, its body streamed through the counting (unless `quiet`) and the
  // stall timer; `ended` is called once, when the body has arrived or the download failed.
  async function receive(url, init, { quiet = false, optional = false, ended = () => {} }) {
    const fatal = !quiet && !optional;
    let finished = false;
    const end = () => finished || ((finished = true), ended());
    const name = decodeURIComponent(url.pathname.split("/").pop());
    const integrity = init.integrity || required.get(url.href);
    const stalled = `The download of ${name} stalled: nothing arrived for ${stallMs / 1000} s.`;
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), stallMs);
    let response;
    try {
      const signal = init.signal ? AbortSignal.any([abort.signal, init.signal]) : abort.signal;
      response = await plainFetch(url, { ...init, ...(integrity && { integrity }), signal });
    } catch (error) {
      end();
      if (init.signal?.aborted) throw problem(`The download of ${name} was cancelled.`, false);
      if (abort.signal.aborted) throw problem(stalled, fatal);
      if (integrity && (await arrives(url))) {
        throw problem(`${name} from ${url.origin} does not match its integrity hash (${integrity}): it was not used.`, fatal);
      }
      throw problem(`Could not download ${name}: ${error.message}.`, fatal);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      end();
      throw problem(`Could not download ${name}: the server answered ${response.status} ${response.statusText}.`, fatal);
    }
    if (!quiet) {
      total += Number(response.headers.get("content-length")) || 0;
      onProgress();
    }
    // The caller gets the response itself: Chrome keeps the compiled code of a .wasm for
    // the next visits only for a response it fetched itself. A copy of its body is read
    // here, as it arrives, for the progress, the stall timer and a readable error.
    const copy = response.clone().body.getReader();
    (async () => {
      try {
        for (;;) {
          timer = setTimeout(() => abort.abort(), stallMs);
          const { done, value } = await copy.read();
          clearTimeout(timer);
          if (done) return;
          if (!quiet) {
            loaded += value.byteLength;
            onProgress();
          }
        }
      } catch (error) {
        clearTimeout(timer);
        problem(abort.signal.aborted ? stalled : `The download of ${name} failed: ${error.message}.`, fatal);
      } finally {
        end();
      }
    })();
    return response;
  }

  // Whether the file arrives without the integrity check: after a failed checked fetch,
  // that tells a file that does not match from one that did not arrive.
  async function arrives(url) {
    try {
      const response = await plainFetch(url, { cache: "no-store" });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  // init.optional (the worker's own option): a failure of this download does not fail the boot.
  globalThis.fetch = async (resource, { optional = false, ...init } = {}) => {
    const url = new URL(resource instanceof Request ? resource.url : String(resource), self.location.href);
    if (forgone.has(url.href)) return new Response(null);
    const early = prefetched.get(url.href);
    if (early) {
      prefetched.delete(url.href);
      const response = await early.catch(() => null);
      if (response) return response;
    }
    return download(url, init, { optional });
  };
  return {
    failed,
    received: () => loaded, // bytes downloaded for the current request so far
    // After the downloads asked for in this turn of the event loop have started.
    whenQuiet: () =>
      new Promise((resolve) => setTimeout(() => (underWay ? onQuiet.push(resolve) : resolve()), 0)),
    report(to) {
      post = to;
      loaded = total = 0;
    },
    require(integrity) {
      for (const [url, value] of Object.entries(integrity)) required.set(new URL(url).href, value);
    },
    // Every request for `resource` (whose answer will not be read) is answered with an
    // empty response, downloading nothing.
    forgo(resource) {
      forgone.add(new URL(resource, self.location.href).href);
    },
    prefetch(resource, integrity, { background = false } = {}) {
      const url = new URL(resource, self.location.href);
      const early = download(url, { integrity, priority: background ? "low" : "high" }, { quiet: background }).then(
        async (response) => {
          const { status, statusText, headers } = response;
          return new Response(await response.arrayBuffer(), { status, statusText, headers });
        },
      );
      early.catch(() => prefetched.delete(url.href)); // downloaded again when asked for
      prefetched.set(url.href, early);
    },
  };
}
