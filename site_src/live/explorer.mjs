// The explorer of a function page: a slider for each parameter, f and f′ redrawn as it
// moves, a readout of x, f(x), f′(x), zoom and pan of the x range (chart.mjs).
//
// The element (site_src/templates/activation.md.j2) holds the build's static plot and,
// in data-act-explorer, the settings pages.explorer_spec wrote: the function, its
// x-range and each explorable parameter (default, slider range). Every value drawn comes
// from activations.lab.curves in the Python worker, one runtime.call per redraw; at most
// one call is in flight and the latest settings win, so a fast drag never queues work.
// The static plot stands in until the first curves arrive.
//
// Reading a function's page downloads nothing: Python (26 to 33 MB the first time) starts
// when the reader reaches for the explorer (points at it, touches it or moves the focus
// into it), when a link carries explorer settings, or when something else on the page
// has started Python (a live cell).
//
// The state lives in the page's query string (history.replaceState), e.g.
// ?alpha=0.3&xmin=-2&xmax=2: a link reproduces the view. Values in the URL that are not
// valid are ignored, with a note saying which. Every redraw dispatches the event
// "act-explorer:drawn" (detail: {draws, params, range, callMs, drawMs}) on the element, and counts
// itself in data-act-draws (the tests and benchmarks/explorer_speed.py use both).

import { LineChart } from "./chart.mjs";

export const POINTS = 601; // samples per curve (plus the kinks where a line jumps)
const RANGE_KEYS = ["xmin", "xmax"];
const MAX_ABS_X = 1e6; // activations.lab.curves.MAX_ABS_X
// The URL is written at most this often while a slider moves: browsers ignore a flood of
// history.replaceState (Chromium allows about 200 in 10 s).
const URL_EVERY_MS = 250;

let explorers = 0;

export function mount(element, runtime) {
  return new Explorer(element, runtime);
}

// A Python expression for a JavaScript value (JSON is read by json.loads).
export function pyValue(value) {
  return `__import__("json").loads(${JSON.stringify(JSON.stringify(value))})`;
}

// Call `write` (which puts the latest state in the URL) at most every URL_EVERY_MS:
// schedule() after each change; cancel() when the page goes.
export function throttledURL(write) {
  let timer = 0;
  return {
    schedule() {
      timer ||= setTimeout(() => {
        timer = 0;
        write();
      }, URL_EVERY_MS);
    },
    cancel() {
      clearTimeout(timer);
      timer = 0;
    },
  };
}

// The x range in `query` (URLSearchParams: xmin, xmax), else `range`; a range that is not
// valid is reported in `problems`. The compare view reads its range with this too.
export function readRange(query, range, problems) {
  if (!RANGE_KEYS.some((key) => query.has(key))) return range;
  const [lo, hi] = RANGE_KEYS.map((key) => (query.get(key)?.trim() ? Number(query.get(key)) : NaN));
  if ([lo, hi].every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_ABS_X) && lo < hi) return [lo, hi];
  problems.push(`xmin=${query.get("xmin") ?? ""}, xmax=${query.get("xmax") ?? ""} (numbers with xmin < xmax)`);
  return range;
}

// The query-string keys of the explorer's state.
function stateKeys(spec) {
  return [...spec.params.map((p) => p.name), ...RANGE_KEYS];
}

// Read the explorer's state from `search` (a query string): {params, range, problems}.
// Parameters must be within their slider range (or one of the choices); xmin < xmax.
export function readState(spec, search) {
  const query = new URLSearchParams(search);
  const params = Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
  const problems = [];
  for (const p of spec.params) {
    if (!query.has(p.name)) continue;
    const text = query.get(p.name);
    if (p.kind === "choice") {
      if (p.choices.includes(text)) params[p.name] = text;
      else problems.push(`${p.name}=${text} (one of ${p.choices.join(", ")})`);
      continue;
    }
    const value = text.trim() === "" ? NaN : Number(text);
    if (Number.isFinite(value) && value >= p.min && value <= p.max) params[p.name] = value;
    else problems.push(`${p.name}=${text} (a number from ${p.min} to ${p.max})`);
  }
  return { params, range: readRange(query, [...spec.span], problems), problems };
}

class Explorer {
  constructor(element, runtime) {
    explorers += 1;
    this.id = `act-explorer-${explorers}`;
    this.element = element;
    this.runtime = runtime;
    this.spec = JSON.parse(element.dataset.actExplorer);
    this.figure = element.querySelector("figure.act-plot");
    this.gone = false;
    this.busy = false; // a call is in flight
    this.dirty = true; // the settings changed since the last call was sent
    this.draws = 0;
    const { params, range, problems } = readState(this.spec, location.search);
    this.path = location.pathname; // the page whose URL holds the state
    this.params = params;
    this.range = range;
    this.url = throttledURL(() => this.saveState());
    this.build();
    this.linkNote = problems.length ? `Ignored from the link: ${problems.join("; ")}.` : "";
    this.errorNote = ""; // why the last change could not be drawn
    this.showNotes();
    this.onStatus = ({ detail }) => !this.draws && detail.text && this.say(`${detail.text}…`);
    runtime.addEventListener("status", this.onStatus);
    const linked = stateKeys(this.spec).some((key) => new URLSearchParams(location.search).has(key));
    if (linked || runtime.started) this.start();
    else this.waitForTheReader();
  }

  start() {
    this.stopWaiting?.();
    this.say("Starting Python: until then, the plot above shows the default parameters.");
    this.refresh();
  }

  // Start on the reader's first gesture towards the explorer, or when Python starts
  // anyway (its first status event).
  waitForTheReader() {
    // The pointer or the focus may be there already when the explorer mounts.
    if (this.element.matches(":hover") || this.element.contains(document.activeElement)) return this.start();
    this.say("Point at the explorer or move into it with Tab to start Python (a download of about 30 MB the first time); until then, the plot above shows the default parameters.");
    const start = () => this.start();
    const events = ["pointerenter", "touchstart", "focusin"];
    for (const type of events) this.element.addEventListener(type, start, { passive: true });
    this.runtime.addEventListener("status", start);
    this.stopWaiting = () => {
      for (const type of events) this.element.removeEventListener(type, start);
      this.runtime.removeEventListener("status", start);
      this.stopWaiting = null;
    };
  }

  unmount() {
    this.gone = true;
    this.stopWaiting?.();
    this.url.cancel();
    this.runtime.removeEventListener("status", this.onStatus);
    this.chart.destroy();
    this.root.remove();
    if (this.figure) this.figure.hidden = false;
  }

  build() {
    const { spec } = this;
    this.root = document.createElement("div");
    this.root.className = "act-explorer-live";
    this.root.setAttribute("role", "group");
    this.root.setAttribute("aria-label", `Explore ${spec.display}`);

    this.controls = document.createElement("div");
    this.controls.className = "act-explorer-controls";
    this.inputs = {};
    this.outputs = {};
    for (const p of spec.params) this.controls.append(this.control(p));
    const buttons = document.createElement("div");
    buttons.className = "act-explorer-buttons";
    for (const [text, action] of [
      ["Zoom in", () => this.chart.zoomIn()],
      ["Zoom out", () => this.chart.zoomOut()],
      ["Defaults", () => this.defaults()],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "act-cell-button act-explorer-button";
      button.textContent = text;
      button.addEventListener("click", action);
      buttons.append(button);
    }
    this.status = document.createElement("p");
    this.status.className = "act-explorer-status";
    this.status.setAttribute("role", "status");
    this.problem = document.createElement("p");
    this.problem.className = "act-explorer-note";
    this.problem.hidden = true;

    const notes = [];
    if (spec.vector) {
      notes.push(`${spec.display} maps a vector to a vector: shown, as in the plot above, are the first output y₀ for the input (x, 0) and its derivative ∂y₀/∂x₀.`);
    }
    if (spec.fixed.length && !spec.vector) notes.push(`${spec.fixed.join(" and ")} keep their defaults here.`);
    if (!spec.params.length && !spec.vector) notes.push(`${spec.display} has no parameters: zoom and pan, and read values.`);
    const about = document.createElement("p");
    about.className = "act-explorer-about";
    about.textContent = notes.join(" ");
    about.hidden = !notes.length;

    const chartBox = document.createElement("div");
    chartBox.className = "act-explorer-chart";
    chartBox.hidden = true; // until the first curves: the static plot stands in
    this.chartBox = chartBox;
    this.root.append(about, this.controls, buttons, this.status, this.problem, chartBox);
    this.element.append(this.root);
    this.chart = new LineChart(chartBox, {
      label: `${spec.display}: f and its derivative f′, live`,
      onRange: (lo, hi) => {
        this.range = [lo, hi];
        this.changed();
      },
    });
    this.chart.view = [...this.range];
    this.chart.first = [...spec.span];
  }

  control(p) {
    const id = `${this.id}-${p.name}`;
    const field = document.createElement("div");
    field.className = "act-explorer-field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = p.name;
    const output = document.createElement("output");
    output.htmlFor = id;
    output.className = "act-explorer-value";
    output.dataset.actParam = p.name;
    const hint = document.createElement("span");
    hint.id = `${id}-hint`;
    hint.className = "act-explorer-hint";
    hint.textContent = p.description;
    let input;
    if (p.kind === "choice") {
      input = document.createElement("select");
      for (const choice of p.choices) {
        const option = document.createElement("option");
        option.value = option.textContent = choice;
        input.append(option);
      }
    } else {
      input = document.createElement("input");
      input.type = "range";
      input.min = String(p.min);
      input.max = String(p.max);
      input.step = String(p.step);
    }
    input.id = id;
    input.name = p.name;
    input.setAttribute("aria-describedby", hint.id);
    input.addEventListener("input", () => {
      this.params[p.name] = p.kind === "choice" ? input.value : Number(input.value);
      this.showValue(p);
      this.changed();
    });
    this.inputs[p.name] = input;
    this.outputs[p.name] = output;
    this.showValue(p, true);
    const top = document.createElement("div");
    top.className = "act-explorer-field-top";
    top.append(label, output);
    field.append(top, input, hint);
    return field;
  }

  // The slider shows the nearest step; the output and Python get the exact value (a
  // default such as 1/3 or a value from a link is not moved to the step grid).
  showValue(p, setInput = false) {
    const value = this.params[p.name];
    if (setInput) this.inputs[p.name].value = String(value);
    this.outputs[p.name].textContent = String(value);
    if (p.kind !== "choice") this.inputs[p.name].setAttribute("aria-valuetext", String(value));
  }

  defaults() {
    for (const p of this.spec.params) {
      this.params[p.name] = p.default;
      this.showValue(p, true);
    }
    this.chart.setRange(...this.spec.span); // calls changed()
  }

  changed() {
    this.dirty = true;
    this.url.schedule();
    this.refresh();
  }

  saveState() {
    // Material's instant navigation puts the next page's URL in place before this page's
    // explorer is unmounted (which cancels the write): a write due in between is dropped.
    if (location.pathname !== this.path) return;
    const query = new URLSearchParams(location.search);
    for (const p of this.spec.params) {
      if (this.params[p.name] === p.default) query.delete(p.name);
      else query.set(p.name, String(this.params[p.name]));
    }
    const atDefault = this.range[0] === this.spec.span[0] && this.range[1] === this.spec.span[1];
    for (const [key, value] of RANGE_KEYS.map((key, i) => [key, this.range[i]])) {
      if (atDefault) query.delete(key);
      else query.set(key, String(Number(value.toPrecision(12))));
    }
    const search = query.toString();
    history.replaceState(history.state, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
  }

  // One call at a time; when it returns, the latest settings (if they changed) go next.
  async refresh() {
    if (this.busy || this.gone) return;
    this.busy = true;
    try {
      while (this.dirty && !this.gone) {
        this.dirty = false;
        const params = { ...this.params };
        const range = [...this.range];
        const request = { name: this.spec.name, params, lo: range[0], hi: range[1], n: POINTS };
        let result;
        const asked = performance.now();
        try {
          result = await this.runtime.call(`from activations.lab.curves import curves\ncurves(**${pyValue(request)})`);
        } catch (error) {
          if (this.gone) return;
          // Python running (runtime.started) but raising: the settings were refused.
          const text = this.runtime.started ? "The last change could not be drawn." : "Python did not start: the plot above shows the default parameters.";
          this.say(text, true);
          this.errorNote = error.message.trim().split("\n").pop();
          this.showNotes();
          continue;
        }
        if (this.gone) return;
        this.draw(result, range, performance.now() - asked);
      }
    } finally {
      this.busy = false;
    }
  }

  // callMs: how long the call took (for benchmarks/explorer_speed.py, with drawMs).
  draw(result, range, callMs) {
    const { spec } = this;
    const started = performance.now();
    const [fLabel, dfLabel] = spec.vector ? ["y₀", "∂y₀/∂x₀"] : ["f(x)", "f′(x)"];
    this.chart.draw({
      x: result.x,
      range,
      series: [
        { key: "f", label: fLabel, y: result.f, gaps: result.f_gaps, colour: "var(--act-plot-f)" },
        { key: "df", label: dfLabel, y: result.df, gaps: result.df_gaps, colour: "var(--act-plot-df)", dash: "7 4" },
      ],
    });
    this.chart.plot.actParams = result.params; // what the drawn curves were computed with
    this.chartBox.hidden = false;
    if (this.figure) this.figure.hidden = true;
    this.errorNote = "";
    this.showNotes();
    const drawMs = performance.now() - started;
    this.draws += 1;
    this.element.dataset.actDraws = String(this.draws);
    if (this.draws === 1 || this.status.getAttribute("role") === "alert") {
      this.say("Live: computed by activations in your browser. f solid, f′ dashed.");
    }
    this.element.dispatchEvent(new CustomEvent("act-explorer:drawn", { bubbles: true, detail: { draws: this.draws, params: result.params, range, callMs, drawMs } }));
  }

  say(text, alert = false) {
    this.status.textContent = text;
    this.status.setAttribute("role", alert ? "alert" : "status");
  }

  showNotes() {
    const text = [this.linkNote, this.errorNote].filter(Boolean).join(" ");
    this.problem.textContent = text;
    this.problem.hidden = !text;
  }
}
