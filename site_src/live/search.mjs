// When Material may build its search index: the page's side of
// site_src/assets/search-worker.js, which holds the index back until this says "go" on
// their BroadcastChannel. Building it takes about 0.4 s of a CPU, which a Python starting
// in its worker would otherwise share. "go" comes
//   * at once when the reader turns to search (its box gets the focus: a click, or one
//     of Material's keys for it);
//   * else, once Python has started (a cell run, or on screen: cells.mjs), when it has
//     no request left under way (the reader's first run included); or when it has not
//     started QUIET_MS after the page was first idle.
// Decided once per page load: Material keeps its search worker across instant navigation.
// The channel is the origin's, so another tab's page may say "go" first: this page's
// index is then built at once, as Material alone would build it.

const CHANNEL = "activations-search"; // search-worker.js
const SEARCH_BOX = '[data-md-component="search-query"]';
const QUIET_MS = 1000;

// `runtime`: the page's Runtime (runtime.mjs); `whenIdle(callback)`: calls it once the
// page is idle.
export function releaseSearch(runtime, whenIdle) {
  if (typeof BroadcastChannel !== "function") return; // the worker then builds it anyway
  const channel = new BroadcastChannel(CHANNEL);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    channel.postMessage("go");
  };
  // A search worker that started before this listened cancels its own deadline on "wait".
  channel.onmessage = ({ data }) => data === "ask" && channel.postMessage(released ? "go" : "wait");
  channel.postMessage("wait");
  document.addEventListener("focusin", ({ target }) => target instanceof Element && target.matches(SEARCH_BOX) && release());
  const settled = async () => {
    if (runtime.started) await runtime.ready().catch(() => {});
    while (runtime.busy) await new Promise((idle) => runtime.addEventListener("idle", idle, { once: true }));
    whenIdle(release);
  };
  whenIdle(() => setTimeout(settled, QUIET_MS));
}
