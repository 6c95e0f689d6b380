// A Python image: Python's memory just after it started and imported the site's packages
// (numpy, activations, matplotlib's pyplot), restored instead of doing that work again:
// Python is ready in about a second, and a first figure shows in about 3 s instead of
// 6 to 7 on a first visit, 1.5 s on a later one (benchmarks/pyscript_compare.py, live_cells.py).
// The site ships one, made by its build (make_image.mjs; about 20 MB to download, zstd);
// a browser keeps the image it started from (Cache Storage, about 100 MB), or, when the
// site ships none (cdn mode) or its own could not be used, makes one when the page is
// idle (worker.mjs, "image").
//
// Pyodide 0.27 can snapshot its memory (`_makeSnapshot`, `makeMemorySnapshot`,
// `_loadSnapshot`), but only of Python alone: a compiled extension (numpy's, matplotlib's)
// is a separate WebAssembly module whose code is outside the memory, placed in it where
// the allocator was when it loaded. So both the Python that makes the image and the one
// that restores it load every extension module of the packages before Python starts, in
// the same order (Emscripten then places each at the same address and table slot, as it
// does for the libraries a program is linked with), and Python's later imports find them
// loaded. What else the image needs is kept beside the memory:
//   files  the site-packages folder (modules imported later, matplotlib's fonts and data);
//   meta   the libraries in load order and their layout, the dlopen handles Python holds
//          for them, and the packages loaded (Pyodide's list of them lives in JavaScript).
// A cache per lock file (its hash names it), so a new build's packages make a new image;
// saving one deletes the older ones. Anything unexpected while restoring makes the worker
// pass the image over (and delete a kept one) and start Python from the next, or the
// ordinary way (worker.mjs).

const CACHE_PREFIX = "activations-python-image-";
// The keys of an image's entries: URLs (as a cache needs), absolute (the same from a page
// and from a worker), never fetched.
const entry = (key) => new URL(`/python-image/${key}`, self.location.origin).href;
const LIBRARY = /\.so(\.[\d.]+)?$/; // an extension module or shared library in a wheel

// Whether this browser can keep an image: Cache Storage (secure pages only), and not a
// device that says it has under 4 GB of memory (making an image briefly takes about 250 MB).
export function canKeepImages() {
  const memory = globalThis.navigator?.deviceMemory;
  return Boolean(globalThis.caches) && !(memory < 4);
}

// The cache name of the image for this lock file (its text): the hash names the Pyodide
// version and every wheel, the activations wheel included.
export async function imageName(lockText) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lockText));
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${CACHE_PREFIX}${hex.slice(0, 16)}`;
}

// Whether a whole image is kept under `name` (its meta is written last), without reading it.
export async function hasImage(name) {
  return (await caches.has(name)) && Boolean(await (await caches.open(name)).match(entry("meta")));
}

// The image kept under `name`, or null: {memory, files: [[path, bytes]], meta}. One that
// is not whole (its memory or files not the size its meta says) throws.
export async function readImage(name) {
  if (!(await caches.has(name))) return null;
  const cache = await caches.open(name);
  const [meta, memory, files] = await Promise.all(["meta", "memory", "files"].map((key) => cache.match(entry(key))));
  if (!meta) return null; // being saved, or never finished
  if (!memory || !files) throw new Error("an entry of the image is missing");
  // Read as blobs: Chrome reads a kept blob's bytes about 1.5 times as fast as a response's
  // (63 MB of memory: 0.07 s, not 0.11).
  const bytes = async (response) => (await response.blob()).arrayBuffer();
  const [metaJSON, memoryBuffer, archiveBuffer] = await Promise.all([meta.json(), bytes(memory), bytes(files)]);
  return wholeImage(metaJSON, new Uint8Array(memoryBuffer), new Uint8Array(archiveBuffer));
}

// The image the site ships in `folderURL` (made by the build: make_image.mjs, then
// zstd, pyodide_dist.py) as meta.json, memory.zst and files.zst, for the lock file whose
// image name is `name`; throws if it is for another one, or not whole, or `signal` aborts
// its download. `arriving` is called once the answers for both big files have come (their
// bytes are on their way). Its downloads are optional ones (the worker's fetch then does
// not fail the boot with them: Python starts without the image).
export async function readShippedImage(folderURL, name, { signal, arriving = () => {} } = {}) {
  const meta = await (await fetch(new URL("meta.json", folderURL), { optional: true, signal })).json();
  if (meta.name !== name) throw new Error(`the site's image is for another lock file (${meta.name}, not ${name})`);
  const responses = ["memory.zst", "files.zst"].map((file) => fetch(new URL(file, folderURL), { optional: true, signal }));
  Promise.all(responses).then(arriving, () => {});
  const [, lastStart, lastLength] = meta.index.at(-1);
  const parts = [["memory", meta.memoryBytes], ["files", lastStart + lastLength]];
  const decoded = async (response, part) => {
    const bytes = await (await response).arrayBuffer();
    return new Uint8Array(await unzstd(bytes, ...parts[part]));
  };
  // A damaged or cut part decodes to another size than the meta says: wholeImage refuses it.
  const [memory, archive] = await Promise.all(responses.map(decoded));
  return wholeImage(meta, memory, archive);
}

// `bytes` (an ArrayBuffer, handed over), zstd-decoded in a worker of its own (unzstd.mjs,
// beside this script once bundled) into at most `size` bytes; `part` names them in an error.
function unzstd(bytes, part, size) {
  const helper = new Worker(new URL("./unzstd.js", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    helper.onmessage = ({ data }) => (data.error ? reject(new Error(`the image's ${part} cannot be decoded: ${data.error}`)) : resolve(data.bytes));
    helper.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`the image's ${part} cannot be decoded: its decoder did not start (${event.message ?? "no message"})`));
    };
    helper.postMessage({ bytes, size }, [bytes]);
  }).finally(() => helper.terminate());
}

// An image from its parts: `meta` as saveImage writes it (with the index of the files in
// `archive`, their bytes one after the other). Throws unless both are the size it says.
function wholeImage({ index, memoryBytes, name, ...meta }, memory, archive) {
  const [lastPath, lastStart, lastLength] = index.at(-1);
  if (memory.length !== memoryBytes || archive.length !== lastStart + lastLength) {
    throw new Error(`the image is not whole (its memory or its files, up to ${lastPath}, are cut or grown)`);
  }
  const files = index.map(([path, start, length]) => [path, archive.subarray(start, start + length)]);
  return { memory, files, meta };
}

// Say why an image kept in this browser could not be used, and delete it (and any other).
export async function discardImage(error) {
  console.warn("The Python image kept in this browser could not be used: deleted. Python starts anew.", error);
  await deleteImages().catch(() => {});
}

// Keep an image under `name`, replacing any older one; `meta` is written last, so an image
// cut short (the tab closed) is never read.
export async function saveImage(name, image) {
  await deleteImages((other) => other !== name);
  const cache = await caches.open(name);
  const { memory, files, meta } = packed(image);
  await cache.put(entry("memory"), new Response(memory));
  await cache.put(entry("files"), new Response(new Blob(files)));
  await cache.put(entry("meta"), new Response(JSON.stringify(meta)));
}

// An image as it is stored: its files one after the other (a list of their bytes), and
// their index ([path, start, length]) and the memory's size in its meta.
export function packed({ memory, files, meta }) {
  const index = [];
  let start = 0;
  for (const [path, bytes] of files) {
    index.push([path, start, bytes.length]);
    start += bytes.length;
  }
  return { memory, files: files.map(([, bytes]) => bytes), meta: { ...meta, index, memoryBytes: memory.length } };
}

// Delete the images whose name passes `which` (all by default).
export async function deleteImages(which = () => true) {
  const names = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && which(name));
  await Promise.all(names.map((name) => caches.delete(name)));
}

// A new image: Python started by startWithLibraries (`core` and `options` as there) with
// the libraries of `wheels` (the bytes of the wheels of `names`) loaded ahead, `names`
// loaded, `warmUp` run. The worker (in a reader's browser) and the build
// (make_image.mjs) make one so. `messageCallback` gets Pyodide's loading notes.
export async function newImage(core, options, { names, wheels, warmUp }, messageCallback = () => {}) {
  const libraries = await librariesOf(wheels);
  const [pyodide, module, layout] = await startWithLibraries(core, { ...options, _makeSnapshot: true }, { files: libraries, libraries });
  await loadAll(pyodide, names, messageCallback);
  await pyodide.runPythonAsync(warmUp);
  return takeImage(pyodide, module, { libraries: libraries.map(([path]) => path), layout });
}

// Load the packages `names` of the site's lock file into `pyodide`; fail, saying which,
// if one did not load.
export async function loadAll(pyodide, names, messageCallback = () => {}) {
  const problems = [];
  await pyodide.loadPackage(names, { messageCallback, errorCallback: (text) => problems.push(text) });
  // Pyodide names a package as its wheel does ("Pillow"); the lock's keys are lower case.
  const loaded = new Set(Object.keys(pyodide.loadedPackages).map((name) => name.toLowerCase()));
  const missing = names.filter((name) => !loaded.has(name.toLowerCase()));
  if (missing.length) throw new Error(`Could not load ${missing.join(", ")}: ${problems.join(" ")}`);
}

// The libraries of some wheels (their bytes), in the one order both the maker and the
// restorer of an image load them: sorted by path.
async function librariesOf(wheels) {
  const libraries = (await Promise.all(wheels.map(wheelLibraries))).flat();
  return libraries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// The libraries of a wheel (its bytes): [[path in site-packages, bytes]]. A wheel is a
// zip file: its central directory lists the entries; each is stored or deflated.
async function wheelLibraries(wheel) {
  const bytes = new Uint8Array(wheel);
  const view = new DataView(wheel);
  let end = bytes.length - 22; // the end-of-central-directory record, after any comment
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("not a zip file");
  const names = new TextDecoder();
  const libraries = [];
  let entry = view.getUint32(end + 16, true);
  for (let count = view.getUint16(end + 10, true); count > 0; count -= 1) {
    const method = view.getUint16(entry + 10, true);
    const size = view.getUint32(entry + 20, true);
    const nameLength = view.getUint16(entry + 28, true);
    const skip = nameLength + view.getUint16(entry + 30, true) + view.getUint16(entry + 32, true);
    const local = view.getUint32(entry + 42, true);
    const path = names.decode(bytes.subarray(entry + 46, entry + 46 + nameLength));
    entry += 46 + skip;
    if (!LIBRARY.test(path)) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const stored = bytes.subarray(start, start + size);
    if (method === 0) libraries.push([path, stored.slice()]);
    else if (method === 8) libraries.push([path, inflated(stored)]);
    else throw new Error(`${path}: zip compression method ${method} is not supported`);
  }
  return Promise.all(libraries.map(async ([path, data]) => [path, await data]));
}

async function inflated(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Start Pyodide (core: {loadPyodide, index, emscripten, compiled}, from worker.mjs;
// `options` for loadPyodide) with `libraries` ([[path in site-packages, bytes]], in load
// order) compiled, then loaded before Python starts, after `files` (the same form) are
// written. `compiled`, if given, is the promise of Pyodide's own WebAssembly module,
// compiled ahead (its .wasm streamed as it arrived): instantiated instead of the one
// loadPyodide would fetch and compile, and its failure fails the start.
// Returns [pyodide, its Emscripten module, the layout of the libraries]: how many slots
// of the function table they and the symbols they import took, a count an image's
// memory is only valid with (the addresses of functions in it are slots). Restoring an
// image (`options._loadSnapshot`), `layout` is the image's: this rejects, before the
// memory is restored, if the libraries were laid out otherwise (an image made by a build
// that loaded them another way, or before layouts were recorded: it has none).
export async function startWithLibraries({ loadPyodide, index, emscripten, compiled: wasm = null }, options, { files, libraries, layout = null }) {
  const compiled = await Promise.all(libraries.map(async ([path, bytes]) => [path, await WebAssembly.compile(bytes)]));
  // loadPyodide creates its Emscripten module with the global _createPyodideModule, which
  // pyodide.asm.js defines when it runs: wrapped once it has (`emscripten`, if given, says
  // when the worker's copy has run; in cdn mode, the checked copy, until when the global
  // is a stand-in for it).
  if (emscripten) await emscripten;
  else if (typeof globalThis._createPyodideModule !== "function") await import(`${index}pyodide.asm.js`);
  const create = globalThis._createPyodideModule;
  let module = null;
  let laidOut = null;
  let misplaced = null; // restoring: the error of libraries laid out otherwise than the image's
  let failStart;
  const unstarted = new Promise((_, reject) => (failStart = reject)); // else loadPyodide would wait for ever
  globalThis._createPyodideModule = (settings) => {
    if (wasm) {
      // Emscripten's way to be given its instance later: {} now, then the callback.
      settings.instantiateWasm = (imports, receive) => {
        wasm.then(async (compiledWasm) => receive(await WebAssembly.instantiate(compiledWasm, imports), compiledWasm)).catch(failStart);
        return {};
      };
    }
    // After Pyodide's own steps (one of them makes the site-packages folder).
    settings.preRun.push((Module) => {
      module = Module;
      const root = sitePackages(Module);
      const folders = new Set();
      for (const [path, bytes] of files) {
        const folder = `${root}/${path}`.replace(/\/[^/]*$/, "");
        if (!folders.has(folder)) Module.FS.mkdirTree(folder);
        folders.add(folder);
        // canOwn: the file system keeps the bytes themselves, not a copy (twice as fast).
        Module.FS.writeFile(`${root}/${path}`, bytes, { canOwn: true });
      }
      // As Emscripten loads a program's linked libraries (Python's dlopen then finds them),
      // as Pyodide's loader would: local symbols, never unloaded, and the symbols a library
      // leaves undefined resolved once all are loaded (allowUndefined, then one
      // reportUndefinedSymbols, as Emscripten's loadDylibs and Pyodide's loadPackage do).
      // Resolving after each library instead looks every symbol still undefined up again
      // each time: the 36 libraries took 0.2 s so, 0.03 s now (a cached visit in Chromium).
      for (const [path, library] of compiled) {
        const dso = Module.newDSO(`${root}/${path}`, undefined, "loading");
        dso.global = false;
        dso.exports = Module.loadWebAssemblyModule(library, { allowUndefined: true }, `${root}/${path}`);
      }
      Module.reportUndefinedSymbols();
      laidOut = { tableSlots: Module.wasmTable.length };
      const snapshot = options._loadSnapshot;
      if (snapshot && laidOut.tableSlots !== layout?.tableSlots) {
        const recorded = layout ? `${layout.tableSlots} slots` : "no layout recorded";
        misplaced = new Error(`the image's libraries were laid out otherwise (its function table: ${recorded}; here: ${laidOut.tableSlots})`);
        // Thrown from here, the error would leave loadPyodide pending for ever; a memory
        // whose magic number is cleared, Pyodide refuses before restoring or running it.
        new DataView(snapshot.buffer, snapshot.byteOffset).setUint32(0, 0);
      }
    });
    return create(settings);
  };
  try {
    return [await Promise.race([loadPyodide(options), unstarted]), module, laidOut];
  } catch (error) {
    throw misplaced ?? error;
  } finally {
    globalThis._createPyodideModule = create;
  }
}

// Where Pyodide installs packages (as it says in its own start-up).
function sitePackages(Module) {
  return `/lib/python${Module._py_version_major()}.${Module._py_version_minor()}/site-packages`;
}

// The image of a Python started by startWithLibraries (with `_makeSnapshot`; `libraries`:
// the paths it loaded, in order; `layout`, as it returned) that has imported what it
// should contain, before it ran anything of the reader's.
function takeImage(pyodide, module, { libraries, layout }) {
  const root = sitePackages(module);
  const files = [];
  const walk = (folder) => {
    for (const name of pyodide.FS.readdir(folder)) {
      if (name === "." || name === "..") continue;
      const path = `${folder}/${name}`;
      if (pyodide.FS.isDir(pyodide.FS.stat(path).mode)) walk(path);
      else files.push([path.slice(root.length + 1), pyodide.FS.readFile(path)]);
    }
  };
  walk(root);
  const handles = {}; // library path -> dlopen handles Python holds
  for (const [handle, { name }] of Object.entries(module.LDSO.loadedLibsByHandle)) {
    if (handle !== "0") (handles[name] ??= []).push(handle);
  }
  // Pyodide's snapshot checks that its list of loaded packages is still empty (it does not
  // carry JavaScript objects over): emptied while the memory is copied, restored by
  // restoreImage().
  const packages = { ...pyodide.loadedPackages };
  for (const name of Object.keys(packages)) delete pyodide.loadedPackages[name];
  try {
    const memory = pyodide.makeMemorySnapshot();
    return { memory, files, meta: { libraries, layout, handles, packages } };
  } finally {
    Object.assign(pyodide.loadedPackages, packages);
  }
}

// The JavaScript side of a restored image (started with `_loadSnapshot`): the dlopen
// handles, the loaded packages; sys.path without the second "" a restore adds; and
// `random` seeded anew (the image has it imported: every restore would otherwise draw the
// same numbers).
export function restoreImage(pyodide, module, meta) {
  for (const [name, handles] of Object.entries(meta.handles)) {
    const dso = module.LDSO.loadedLibsByName[name];
    if (!dso) throw new Error(`the image's library ${name} is not loaded`);
    for (const handle of handles) module.LDSO.loadedLibsByHandle[handle] = dso;
  }
  Object.assign(pyodide.loadedPackages, meta.packages);
  pyodide.runPython(
    "import sys\nsys.path[:] = dict.fromkeys(sys.path)\n"
    + "if 'random' in sys.modules: sys.modules['random'].seed()\ndel sys",
  );
}

// The packages `roots` need, themselves included, following the lock's `depends`.
export function closure(lock, roots) {
  const needed = [];
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop();
    if (needed.includes(name)) continue;
    if (!(name in lock.packages)) throw new Error(`${name} is not in the site's lock file`);
    needed.push(name);
    todo.push(...lock.packages[name].depends);
  }
  return needed;
}
