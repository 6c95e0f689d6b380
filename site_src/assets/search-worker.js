// Material's search worker, its index held back while the page needs the CPU for Python.
//
// Material sends its worker the whole search index as soon as a page loads, and the
// worker builds it (lunr) at once: about 0.4 s of a CPU here, just when a reader's first
// cell restores Python. On a machine with two cores both are then slower: a first figure
// came 0.1 to 0.27 s sooner without it (cold and later visits alike).
//
// The build points Material's configuration at this script (site_src/build.py,
// SEARCH_WORKER), with Material's own worker named in its address (?material=...), which
// it loads here: from the same folder, where Material's worker finds its language files.
// Material's first message, the index ("setup", type 0), waits until the page says "go"
// on the BroadcastChannel CHANNEL (site_src/live/search.mjs: when the reader turns to
// search, or once Python is idle). Started, this asks ("ask"); a page that has decided
// answers "go", one that has not "wait". Without an answer in ANSWER_MS (a page without
// the site's scripts) the index is built at once. Then the worker is Material's alone.

"use strict";

const CHANNEL = "activations-search";
const ANSWER_MS = 2000;
const SETUP = 0; // Material's SearchMessageType.SETUP

const material = new URL(self.location.href).searchParams.get("material") ?? "";
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
  throw new Error(`search-worker.js: ?material= must name Material's search worker, not ${JSON.stringify(material)}`);
}

let held = null; // Material's setup message, until released
let released = false;
const channel = new BroadcastChannel(CHANNEL);
const unanswered = setTimeout(release, ANSWER_MS);

function release() {
  if (released) return;
  released = true;
  clearTimeout(unanswered);
  channel.close();
  if (held) self.dispatchEvent(new MessageEvent("message", { data: held }));
  held = null;
}

channel.onmessage = ({ data }) => {
  if (data === "go") release();
  else if (data === "wait") clearTimeout(unanswered);
};
channel.postMessage("ask");

// Listening before Material's worker does, this keeps the setup message from it.
self.addEventListener("message", (event) => {
  if (released || event.data?.type !== SETUP) return;
  event.stopImmediatePropagation();
  held = event.data;
});
self.importScripts(material);
