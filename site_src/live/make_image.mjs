// Make the Python image the site ships (see image.mjs): Python with the live cells'
// packages loaded and imported, as a first visit's browser would otherwise make it when
// idle (runtime.mjs), made once by the build so that a first visit starts from it too
// (a figure in about 2.5 s instead of 6.5). Run by the site build in Node
// (site_src/pyodide_dist.py, place_image) on the self-hosted pyodide/ folder:
//
//     node site_src/live/make_image.mjs FOLDER OUT
//
// FOLDER holds Pyodide's core, the site's lock file and its wheels; OUT (made) receives
//   meta.json  as image.mjs keeps it, plus `name`: the image name of the lock file (the
//              worker uses the image only with that lock file);
//   memory     Python's memory;
//   files      the site-packages files, one after the other.
// The build compresses the last two (pyodide_dist.py: zstd, which Node 20 lacks).
// A memory made in Node restores in a browser: both load the packages' libraries before
// Python starts, in the same order (newImage, startWithLibraries), and Pyodide's snapshot
// carries no JavaScript object over.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { closure, imageName, newImage, packed } from "./image.mjs";
import { DEFAULTS } from "./runtime.mjs";

const [folder, out, ...extra] = process.argv.slice(2);
if (!folder || !out || extra.length) {
  console.error("usage: node site_src/live/make_image.mjs FOLDER OUT");
  process.exit(2);
}
const index = `${path.resolve(folder)}/`;
const lockText = fs.readFileSync(`${index}pyodide-lock.json`, "utf8");
const lock = JSON.parse(lockText);
const names = closure(lock, [...DEFAULTS.packages, ...DEFAULTS.ahead]);
const wheels = names.map((name) => {
  const bytes = fs.readFileSync(index + lock.packages[name].file_name);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
});

// As a browser's worker has it once pyodide.asm.js has run: the global Emscripten
// factory, which startWithLibraries wraps.
createRequire(import.meta.url)(`${index}pyodide.asm.js`);
const { loadPyodide } = await import(pathToFileURL(`${index}pyodide.mjs`).href);
const options = { indexURL: index, lockFileURL: `${index}pyodide-lock.json` };
const core = { loadPyodide, index, emscripten: null };
const { memory, files, meta } = packed(await newImage(core, options, { names, wheels, warmUp: DEFAULTS.warmUp }));
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "memory"), memory);
fs.writeFileSync(path.join(out, "files"), Buffer.concat(files));
fs.writeFileSync(path.join(out, "meta.json"), JSON.stringify({ ...meta, name: await imageName(lockText) }));
