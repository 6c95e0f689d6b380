// The demos of the site (explorers, compare view, training): an element with
// data-act-widget="<name>" is brought to life by the module of that name, which is
// loaded (its own chunk) only on pages that have such an element.
//
// Each module exports mount(element, runtime) and returns {unmount()}. The element holds
// what readers without JavaScript see (the build's static plot and text); mount() may
// replace it. Numbers come from Python through runtime.call() (runtime.mjs): the
// activations package in the worker, never a JavaScript copy of a formula.

const MODULES = {
  playground: () => import("./playground.mjs"),
  depth: () => import("./depth.mjs"),
  deadunits: () => import("./deadunits.mjs"),
  explorer: () => import("./explorer.mjs"),
  compare: () => import("./compare.mjs"),
};

// Mount the demos inside `root`; resolves to a function that unmounts them all. A demo
// that fails to load or mount says so in its element and leaves the static content.
export function mountWidgets(root, runtime) {
  const handles = [];
  let gone = false;
  for (const element of root.querySelectorAll("[data-act-widget]")) {
    const name = element.dataset.actWidget;
    const load = MODULES[name];
    if (!load) {
      fail(element, `unknown demo "${name}" (known: ${Object.keys(MODULES).join(", ")})`);
      continue;
    }
    load()
      .then((module) => {
        if (!gone) handles.push(module.mount(element, runtime));
      })
      .catch((error) => fail(element, error.message));
  }
  return () => {
    gone = true;
    for (const handle of handles) handle.unmount();
  };
}

function fail(element, text) {
  console.error(`activations demo: ${text}`);
  const note = document.createElement("p");
  note.className = "act-widget-error";
  note.setAttribute("role", "alert");
  note.textContent = `This demo could not start: ${text}.`;
  element.prepend(note);
}
