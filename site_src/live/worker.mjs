// The Python worker (a module Web Worker): Pyodide lives here, never on the page's
// main thread, so a long computation cannot freeze the page. It only runs Python; the
// page talks to it through runtime.mjs.
//
// Requests (page -> worker), each with an `id`, handled one at a time in arrival order:
//   {type: "boot", indexURL, lockFileURL, packages, stallMs}   start Pyodide, load packages
//   {type: "page"}                                              a fresh namespace (new page)
//   {type: "run", code, cell}                                   run a cell
//   {type: "call", code}      evaluate code for the page's own scripts (the demos): in a
//                             namespace of its own that outlives pages, the value of its
//                             last expression converted to JavaScript (dicts to objects)
// Replies (worker -> page), each with the `id` of its request:
//   {type: "status", stage, text}        what is happening ("download", "start", "packages")
//   {type: "progress", loaded, total}    bytes downloaded so far, of those announced
//   {type: "stream" | "result" | "display" | "error", ...}   a cell's output (kernel.py)
//   {type: "done", ok, value?}           the request is complete (ok: the cell raised nothing;
//                                        value: what a "call" evaluated to)
//   {type: "failed", message}            the request could not be carried out; readable
// Every request ends with exactly one "done" or "failed".

import kernelSource from "./kernel.py";

const KERNEL_MODULE = "act_live_kernel";

let pyodide = null;
let session = null; // kernel.Session of the current page
let tools = null; // the namespace of "call" requests (a Python dict)
let downloads = null; // watchDownloads(), from the first boot on
let queue = Promise.resolve();

self.addEventListener("message", ({ data }) => {
  queue = queue.then(() => handle(data));
});

async function handle(request) {
  const post = (message) => self.postMessage({ id: request.id, ...message });
  downloads?.report(post); // progress of what this request downloads
  try {
    if (request.type === "boot") await boot(request, post);
    else if (request.type === "page") newSession();
    else if (request.type === "run") return post({ type: "done", ok: await run(request, post) });
    else if (request.type === "call") return post({ type: "done", ok: true, value: await call(request, post) });
    else throw new Error(`unknown request type ${JSON.stringify(request.type)}`);
    post({ type: "done", ok: true });
  } catch (error) {
    post({ type: "failed", message: error?.message ?? String(error) });
  }
}

async function boot({ indexURL, lockFileURL, packages, stallMs }, post) {
  if (pyodide) throw new Error("Python is already running in this worker");
  downloads = watchDownloads(stallMs);
  downloads.report(post);
  // Pyodide never settles when its .wasm fails to arrive: a failed download ends the boot.
  const failing = (promise) => Promise.race([promise, downloads.failed]);
  post({ type: "status", stage: "download", text: "Downloading Python" });
  const { loadPyodide } = await failing(import(`${indexURL}pyodide.mjs`));
  pyodide = await failing(loadPyodide({ indexURL, lockFileURL }));
  post({ type: "status", stage: "packages", text: `Loading ${packages.join(", ")}` });
  await failing(loadPackages(packages, post));
  pyodide.FS.writeFile(`${pyodide.FS.cwd()}/${KERNEL_MODULE}.py`, kernelSource);
  newSession();
}

// Load packages from the site's lock file; fail, saying which, if one did not load.
async function loadPackages(names, post) {
  const problems = [];
  await pyodide.loadPackage(names, {
    messageCallback: loadingStatus(post),
    errorCallback: (text) => problems.push(text),
  });
  const missing = names.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) throw new Error(`Could not load ${missing.join(", ")}: ${problems.join(" ")}`);
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

// Count the bytes of every download, reported as progress of the current request, and
// turn a failed or stalled download into a readable error: `failed` rejects with the
// first one (and the fetch itself rejects with it).
function watchDownloads(stallMs) {
  const plainFetch = globalThis.fetch.bind(globalThis);
  let loaded = 0;
  let total = 0;
  let post = () => {};
  const onProgress = () => post({ type: "progress", loaded, total });
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed through Promise.race only while booting
  const problem = (text) => {
    const error = new Error(text);
    fail(error);
    return error;
  };

  globalThis.fetch = async (resource, init = {}) => {
    const url = new URL(resource instanceof Request ? resource.url : String(resource), self.location.href);
    const name = decodeURIComponent(url.pathname.split("/").pop());
    const stalled = `The download of ${name} stalled: nothing arrived for ${stallMs / 1000} s.`;
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), stallMs);
    let response;
    try {
      response = await plainFetch(resource, { ...init, signal: abort.signal });
    } catch (error) {
      throw problem(abort.signal.aborted ? stalled : `Could not download ${name}: ${error.message}.`);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      throw problem(`Could not download ${name}: the server answered ${response.status} ${response.statusText}.`);
    }
    total += Number(response.headers.get("content-length")) || 0;
    onProgress();
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        timer = setTimeout(() => abort.abort(), stallMs);
        try {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          loaded += value.byteLength;
          onProgress();
          controller.enqueue(value);
        } catch (error) {
          controller.error(problem(abort.signal.aborted ? stalled : `The download of ${name} failed: ${error.message}.`));
        } finally {
          clearTimeout(timer);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  };
  return {
    failed,
    report(to) {
      post = to;
      loaded = total = 0;
    },
  };
}
