// "Train a network in the browser" (docs/explore/playground.md), TensorFlow-Playground
// style, and the small drawing and form helpers the other demos (depth.mjs,
// deadunits.mjs) share with it.
//
// The network is activations.lab's numpy MLP in the Python worker (its backpropagation
// uses the package's `derivative`); activations/lab/playground.py checks the settings and
// trains in chunks of about 50 ms. This module only draws: the page never computes a
// number of the model. While running, each reply is drawn and the next chunk asked for,
// so the page stays responsive (the work is in the worker) and Pause takes effect after
// at most one chunk. The settings live in the URL query (replaceState): a shared link
// reproduces the run, since everything random is seeded. Changing a setting starts a
// new run, so the link always describes the run on screen.

const SVG = "http://www.w3.org/2000/svg";
const CHUNK_SECONDS = 0.05; // work per request while running
const CHUNK_EPOCHS = 5; // and at most this many epochs
const GRID = 40; // the decision map is GRID × GRID probabilities
const GRID_EVERY_MS = 250; // while running, a new map at most this often
const ANNOUNCE_EVERY_MS = 5000; // the screen-reader summary, while running

// Settings in the URL and the form, in the order of the controls; Python checks them.
const FIELDS = [
  { key: "dataset", label: "Dataset", kind: "select", options: "datasets" },
  { key: "noise", label: "Noise", kind: "number", step: "0.05", limits: "noise" },
  { key: "train_fraction", label: "Training share", kind: "number", step: "0.05", limits: "train_fraction" },
  {
    key: "hidden",
    label: "Hidden layers",
    kind: "text",
    pattern: "[0-9, ]*",
    hint: "widths, e.g. 8,8 (empty: none)",
  },
  { key: "activation", label: "Activation", kind: "select", options: "activations" },
  { key: "learning_rate", label: "Learning rate", kind: "number", step: "any", limits: "learning_rate" },
  { key: "batch_size", label: "Batch size", kind: "number", step: "1", limits: "batch_size" },
  { key: "seed", label: "Seed", kind: "number", step: "1", limits: "seed" },
];
const READOUTS = [
  ["epoch", "Epoch"],
  ["train_loss", "Training loss"],
  ["test_loss", "Test loss"],
  ["train_accuracy", "Training accuracy"],
  ["test_accuracy", "Test accuracy"],
];

let mounts = 0;

// -- shared helpers ------------------------------------------------------------------------

// A Python expression for a JavaScript value (via JSON: a JSON string is a Python string).
export function py(value) {
  return `__import__("json").loads(${JSON.stringify(JSON.stringify(value))})`;
}

// Python lines that give `_act_demos`, the dict of the demos' state in the namespace of
// runtime.call (it outlives pages, not a restart of Python: code must rebuild what is missing).
export const DEMOS = '_act_demos = globals().setdefault("_act_demos", {})\n';

export function uniqueId(prefix) {
  mounts += 1;
  return `${prefix}-${Date.now().toString(36)}-${mounts}`;
}

export function make(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") element.textContent = value;
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children);
  return element;
}

export function button(text, action, extra = "") {
  const element = make("button", { type: "button", class: `act-cell-button ${extra}`.trim(), text });
  element.addEventListener("click", action);
  return element;
}

// A labelled control: select (choices: [value, text] pairs or strings), number or text.
export function field(id, { label, kind, choices = [], min, max, step, pattern, hint }) {
  const control =
    kind === "select"
      ? make("select", { id })
      : make("input", { id, type: kind === "number" ? "number" : "text", min, max, step, pattern, inputmode: kind === "number" ? "decimal" : null, spellcheck: "false", autocomplete: "off" });
  for (const choice of choices) {
    const [value, text] = Array.isArray(choice) ? choice : [choice, choice];
    control.append(make("option", { value, text }));
  }
  const wrapper = make("div", { class: "act-demo-field" }, make("label", { for: id, text: label }), control);
  if (hint) {
    const hintElement = make("span", { class: "act-demo-hint", id: `${id}-hint`, text: hint });
    control.setAttribute("aria-describedby", hintElement.id);
    wrapper.append(hintElement);
  }
  return { wrapper, control };
}

// Numbers as the readouts show them: 3 significant digits, exponent when far from 1.
export function format(value, digits = 3) {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "not a number (overflow)";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const size = Math.abs(value);
  return size >= 1e4 || size < 1e-3 ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
}

// Hide what the build wrote for readers without JavaScript; give it back on unmount.
export function takeOver(element) {
  const hidden = [...element.children].filter((child) => !child.hidden);
  for (const child of hidden) child.hidden = true;
  element.classList.add("act-demo-live");
  return () => {
    for (const child of hidden) child.hidden = false;
    element.classList.remove("act-demo-live");
  };
}

// Call `redraw` when the reader switches between the light and the dark palette.
export function onPaletteChange(redraw) {
  const observer = new MutationObserver(redraw);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  return () => observer.disconnect();
}

// A demo's settings live in the page's query string, so that a link keeps them (as the
// playground's, the explorer's and the compare view's do). linkedSettings sets each of
// `controls` ({key: form control}) that the query names, unless the control refuses the
// value (an option it lacks, a number out of its range: it keeps its own), and returns
// those refused as "key=value". linkSettings writes `values` ({key: value}) back, leaving
// out the keys at their `defaults` (replaceState: no history entry per change).
export function linkedSettings(controls, search = location.search) {
  const query = new URLSearchParams(search);
  const refused = [];
  for (const [key, control] of Object.entries(controls)) {
    if (!query.has(key)) continue;
    const own = control.value;
    const linked = query.get(key);
    control.value = linked;
    if (control.value !== linked || !control.checkValidity()) {
      control.value = own;
      refused.push(`${key}=${linked}`);
    }
  }
  return refused;
}

export function linkSettings(values, defaults) {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(values)) {
    if (String(value) === String(defaults[key])) url.searchParams.delete(key);
    else url.searchParams.set(key, String(value));
  }
  history.replaceState(history.state, "", url);
}

// What a demo says about the settings of its link it could not use.
export function refusedNote(refused) {
  return refused.length ? ` Not used from the link: ${refused.join(", ")}.` : "";
}

// Unmount a demo that keeps its run in Python under its id (this page and dead units):
// no more chunks, no more listening, the page's static content back, the run freed.
export function leave(demo) {
  demo.gone = true;
  demo.running = false;
  demo.stopStatus();
  demo.stopPalette();
  demo.root.remove();
  demo.restore();
  demo.runtime.call(`${DEMOS}_act_demos.pop(${py(demo.id)}, None) is not None`).catch(() => {});
}

// Python is starting: show what it is doing in `say`.
export function followStatus(runtime, say) {
  const listener = ({ detail }) => detail.text && say(`${detail.text}…`);
  runtime.addEventListener("status", listener);
  return () => runtime.removeEventListener("status", listener);
}

// A line chart in an <svg>: series of {label, values, xs?, color (a CSS colour), dash?};
// a logarithmic y axis with `log`; values that are not finite (or ≤ 0 on a log axis)
// leave a gap. The svg gets role="img" and the label `title`.
export function lineChart(svg, { title, series, xLabel, yLabel, log = false, yMin = null, yMax = null, width = 480, height = 250 }) {
  const margin = { left: 62, right: 12, top: 12, bottom: 44 };
  const usable = (v) => Number.isFinite(v) && (!log || v > 0);
  const ys = series.flatMap((s) => s.values.filter(usable));
  const xs = series.flatMap((s) => (s.xs ?? s.values.map((_, i) => i)));
  let low = yMin ?? (ys.length ? Math.min(...ys) : 0);
  let high = yMax ?? (ys.length ? Math.max(...ys) : 1);
  if (log) [low, high] = [Math.floor(Math.log10(low || 1)), Math.ceil(Math.log10(high || 1))];
  if (high <= low) high = low + 1;
  const xLow = Math.min(0, ...xs);
  const xHigh = Math.max(xLow + 1, ...xs);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const px = (x) => margin.left + ((x - xLow) / (xHigh - xLow)) * plotW;
  const py = (y) => margin.top + (1 - ((log ? Math.log10(y) : y) - low) / (high - low)) * plotH;
  const node = (tag, attributes, text) => {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = text;
    return element;
  };
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  svg.classList.add("act-demo-chart");
  // Axes, ticks and labels.
  const axes = node("g", { class: "act-demo-axes" });
  axes.append(node("path", { d: `M${margin.left},${margin.top}V${margin.top + plotH}H${margin.left + plotW}` }));
  const yTicks = log ? logTicks(low, high) : [low, (low + high) / 2, high];
  for (const tick of yTicks) {
    const y = py(log ? 10 ** tick : tick);
    axes.append(node("path", { class: "act-demo-grid", d: `M${margin.left},${y}H${margin.left + plotW}` }));
    axes.append(node("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end" }, log ? `1e${tick}` : format(tick, 2)));
  }
  for (const tick of xTicks(xLow, xHigh)) {
    axes.append(node("text", { x: px(tick), y: margin.top + plotH + 16, "text-anchor": "middle" }, String(tick)));
  }
  axes.append(node("text", { x: margin.left + plotW / 2, y: height - 6, "text-anchor": "middle" }, xLabel));
  axes.append(node("text", { x: 14, y: margin.top + plotH / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${margin.top + plotH / 2})` }, yLabel));
  svg.append(axes);
  // The lines: a gap where a value cannot be drawn; a dot for a lone point.
  for (const s of series) {
    const points = s.values.map((v, i) => [s.xs ? s.xs[i] : i, v]);
    let d = "";
    let pen = false;
    for (const [x, v] of points) {
      if (!usable(v)) {
        pen = false;
        continue;
      }
      const clamped = Math.min(Math.max(log ? Math.log10(v) : v, low), high);
      const y = py(log ? 10 ** clamped : clamped);
      d += `${pen ? "L" : "M"}${px(x).toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    }
    const style = `stroke: ${s.color}`;
    svg.append(node("path", { d, class: "act-demo-line", style, "stroke-dasharray": s.dash ?? "none" }));
    if (points.filter(([, v]) => usable(v)).length === 1) {
      const [x, v] = points.find(([, value]) => usable(value));
      svg.append(node("circle", { cx: px(x), cy: py(v), r: 3, style: `fill: ${s.color}` }));
    }
  }
  return svg;
}

function logTicks(low, high) {
  const every = Math.max(1, Math.ceil((high - low) / 6));
  const ticks = [];
  for (let t = low; t <= high; t += every) ticks.push(t);
  return ticks;
}

function xTicks(low, high) {
  const span = high - low;
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((s) => span / s <= 6) ?? Math.ceil(span / 6);
  const ticks = [];
  for (let t = Math.ceil(low / step) * step; t <= high; t += step) ticks.push(t);
  return ticks;
}

// A legend for lineChart's series, as HTML text (screen readers read it too).
export function legend(series) {
  return make(
    "ul",
    { class: "act-demo-legend" },
    ...series.map((s) =>
      make("li", {}, make("span", { class: `act-demo-swatch${s.dash ? " act-demo-swatch-dashed" : ""}`, style: `border-color: ${s.color}`, "aria-hidden": "true" }), s.label),
    ),
  );
}

// -- the playground ------------------------------------------------------------------------

export function mount(element, runtime) {
  return new Playground(element, runtime);
}

class Playground {
  constructor(element, runtime) {
    this.element = element;
    this.runtime = runtime;
    this.id = uniqueId("playground");
    this.running = false;
    this.gone = false;
    this.queue = Promise.resolve(); // requests to Python, one after another
    this.history = []; // metrics per epoch, from epoch 0
    this.settings = null; // as Python applied them
    this.lastGrid = 0;
    this.lastAnnounce = 0;
    this.restore = takeOver(element);
    this.build();
    this.stopStatus = followStatus(runtime, (text) => this.say(text));
    this.colours = null; // read from the CSS variables once per palette
    this.stopPalette = onPaletteChange(() => {
      this.colours = null;
      this.draw();
    });
    this.say("Starting Python…");
    this.enqueue(() => this.open(Object.fromEntries(new URLSearchParams(location.search)), { fromUrl: true }));
  }

  unmount() {
    leave(this);
  }

  // -- the page's parts ------------------------------------------------------------------
  build() {
    const id = (key) => `${this.id}-${key}`;
    this.form = make("form", { class: "act-demo-controls", "aria-label": "Network and data" });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.controls = {};
    for (const spec of FIELDS) {
      const { wrapper, control } = field(id(spec.key), spec);
      control.name = spec.key;
      control.disabled = true; // until Python gives the choices
      control.addEventListener("change", () => this.changed());
      this.controls[spec.key] = control;
      this.form.append(wrapper);
    }
    this.note = make("p", { class: "act-demo-note", role: "status", hidden: true });
    this.startButton = button("Start", () => this.toggle(), "act-cell-run");
    this.stepButton = button("Step", () => this.step());
    this.resetButton = button("Reset", () => this.reset());
    for (const b of [this.startButton, this.stepButton, this.resetButton]) b.disabled = true;
    this.status = make("span", { class: "act-demo-status", role: "status" });
    const bar = make("div", { class: "act-demo-bar" }, this.startButton, this.stepButton, this.resetButton, this.status);

    this.canvas = make("canvas", { width: 400, height: 400, class: "act-pg-map", role: "img", "aria-label": "Decision map: not drawn yet" });
    const mapFigure = make(
      "figure",
      { class: "act-demo-figure" },
      this.canvas,
      make("figcaption", {
        text: "The network's probability of class 1 (blue) against class 0 (red) over the plane, x₁ across and x₂ up, from −1.2 to 1.2; filled dots are training points, rings test points.",
      }),
    );
    this.curves = document.createElementNS(SVG, "svg");
    const curveSeries = this.curveSeries();
    const curveFigure = make("figure", { class: "act-demo-figure" }, this.curves, legend(curveSeries), make("figcaption", { text: "Loss (cross-entropy) after each epoch." }));
    const views = make("div", { class: "act-demo-views" }, mapFigure, curveFigure);

    this.readouts = {};
    const list = make("dl", { class: "act-demo-readout" });
    for (const [key, text] of READOUTS) {
      this.readouts[key] = make("dd", { "data-act-readout": key, text: "—" });
      list.append(make("div", {}, make("dt", { text }), this.readouts[key]));
    }
    this.announcer = make("p", { class: "act-demo-announce", "aria-live": "polite" });
    this.root = make("div", { class: "act-demo act-pg" }, this.form, this.note, bar, views, list, this.announcer);
    this.element.append(this.root);
  }

  curveSeries() {
    const { css } = this.palette();
    return [
      { label: "training loss", values: this.history.map((m) => m.train_loss), color: css.one },
      { label: "test loss", values: this.history.map((m) => m.test_loss), color: css.zero, dash: "6 4" },
    ];
  }

  // The palette's colours, as CSS text and as [r, g, b] for the heat map's pixels.
  palette() {
    if (this.colours) return this.colours;
    const style = getComputedStyle(this.element);
    const context = make("canvas").getContext("2d");
    const names = { one: "--act-series-1", zero: "--act-series-2", background: "--md-default-bg-color", foreground: "--md-default-fg-color" };
    const css = {};
    const rgb = {};
    for (const [key, name] of Object.entries(names)) {
      css[key] = style.getPropertyValue(name).trim() || "#808080";
      context.fillStyle = css[key];
      // The canvas normalises a colour to "#rrggbb", or "rgba(r, g, b, a)" if translucent
      // (the alpha is dropped here: the points' outlines are drawn opaque).
      const normal = context.fillStyle;
      rgb[key] = normal.startsWith("#") ? [1, 3, 5].map((i) => parseInt(normal.slice(i, i + 2), 16)) : normal.match(/[\d.]+/g).slice(0, 3).map(Number);
    }
    this.colours = { css, rgb };
    return this.colours;
  }

  say(text) {
    this.status.textContent = text;
  }

  // -- talking to Python -------------------------------------------------------------------
  enqueue(task) {
    this.queue = this.queue.then(() => (this.gone ? null : task())).catch((error) => this.failed(error));
    return this.queue;
  }

  failed(error) {
    this.running = false;
    this.startButton.textContent = "Start";
    this.say(`Python failed: ${error.message}`);
    this.status.setAttribute("role", "alert");
  }

  // A new run from `raw` settings (text values); Python says which were invalid.
  async open(raw, { fromUrl = false } = {}) {
    const code = `${DEMOS}from activations.lab import playground as _pg
_settings, _problems = _pg.parse_settings(${py(raw)})
_act_demos[${py(this.id)}] = _pg.Playground(_settings)
{**_act_demos[${py(this.id)}].snapshot(${GRID}), "problems": _problems, "options": _pg.options()}`;
    const reply = await this.runtime.call(code);
    if (this.gone) return;
    if (!this.options) this.fillChoices(reply.options);
    this.showProblems(reply.problems, fromUrl);
    this.snapshot(reply);
    this.say(fromUrl ? "Ready: press Start, or Step for one epoch." : "New run: press Start, or Step for one epoch.");
  }

  fillChoices(options) {
    this.options = options;
    for (const spec of FIELDS) {
      const control = this.controls[spec.key];
      if (spec.kind === "select") {
        for (const value of options[spec.options]) control.append(make("option", { value, text: value.replaceAll("_", " ") }));
      }
      if (spec.limits) {
        const [low, high] = options.limits[spec.limits];
        control.min = low;
        control.max = high;
      }
      control.disabled = false;
    }
    for (const b of [this.startButton, this.stepButton, this.resetButton]) b.disabled = false;
  }

  showProblems(problems, fromUrl) {
    this.note.hidden = !problems.length;
    const where = fromUrl ? "The link had values this demo cannot use; the defaults were used instead:" : "Not applied:";
    this.note.replaceChildren(make("strong", { text: where }), ...problems.map((p) => make("span", { class: "act-demo-problem", text: ` ${p}.` })));
  }

  // Draw a whole run (a new one, or one Python rebuilt).
  snapshot(reply) {
    this.settings = reply.settings;
    this.points = reply.points;
    this.history = reply.history;
    this.grid = reply.grid;
    this.progress = reply;
    for (const spec of FIELDS) {
      const control = this.controls[spec.key];
      control.value = String(reply.settings[spec.key]);
      control.removeAttribute("aria-invalid");
    }
    this.writeUrl();
    this.lastGrid = performance.now();
    this.draw();
    this.announce(true);
  }

  // The chunk's new epochs and, sometimes, a new map. False if Python had lost the run
  // (it restarted) and rebuilt it: then the reply is a new run at epoch 0.
  update(reply) {
    if (reply.rebuilt) {
      this.snapshot(reply);
      this.say("Python restarted, so the run started again from epoch 0.");
      return false;
    }
    this.history.push(...reply.epochs);
    this.progress = reply;
    if (reply.grid) {
      this.grid = reply.grid;
      this.lastGrid = performance.now();
    }
    if (reply.epochs.length || reply.grid) this.draw(); // else nothing on screen changed
    return true;
  }

  // Code that trains for one chunk (or `epochs` whole epochs), rebuilding a run that a
  // restart of Python lost.
  advanceCode({ seconds, epochs, grid }) {
    const settings = { ...this.settings };
    return `${DEMOS}from activations.lab import playground as _pg
_run = _act_demos.get(${py(this.id)})
if _run is None:
    _run = _act_demos[${py(this.id)}] = _pg.Playground(_pg.parse_settings(${py(settings)})[0])
    _reply = {**_run.snapshot(${GRID}), "rebuilt": True}
else:
    _reply = _run.advance(${seconds}, ${epochs}, ${grid})
_reply`;
  }

  // -- the buttons ---------------------------------------------------------------------------
  toggle() {
    if (this.running) this.pause();
    else this.start();
  }

  start() {
    this.running = true;
    this.startButton.textContent = "Pause";
    this.element.dataset.actRunning = "true";
    this.say("Training…");
    this.enqueue(() => this.loop());
  }

  pause() {
    this.running = false;
    this.startButton.textContent = "Start";
    this.element.dataset.actRunning = "false";
    this.enqueue(() => {
      this.say(`Paused at epoch ${this.progress.epoch}.`);
      this.announce(true);
    });
  }

  async loop() {
    while (this.running && !this.gone) {
      const grid = performance.now() - this.lastGrid >= GRID_EVERY_MS ? GRID : 0;
      this.update(await this.runtime.call(this.advanceCode({ seconds: CHUNK_SECONDS, epochs: CHUNK_EPOCHS, grid })));
      this.announce(false);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the page draw and react
    }
  }

  step() {
    if (this.running) this.pause();
    this.enqueue(async () => {
      if (!this.update(await this.runtime.call(this.advanceCode({ seconds: 1e9, epochs: 1, grid: GRID })))) return;
      this.say(`Stepped to epoch ${this.progress.epoch}.`);
      this.announce(true);
    });
  }

  reset() {
    if (this.running) this.pause();
    this.enqueue(() => this.open(this.formValues()));
  }

  // A control changed: a new run with the form's settings, if the browser finds them valid.
  changed() {
    const invalid = FIELDS.map((spec) => this.controls[spec.key]).filter((control) => !control.checkValidity());
    for (const control of Object.values(this.controls)) control.toggleAttribute("aria-invalid", invalid.includes(control));
    if (invalid.length) {
      this.note.hidden = false;
      this.note.replaceChildren(make("strong", { text: "Not applied:" }), ...invalid.map((c) => make("span", { class: "act-demo-problem", text: ` ${c.labels[0].textContent}: ${c.validationMessage}` })));
      return;
    }
    this.reset();
  }

  formValues() {
    return Object.fromEntries(FIELDS.map((spec) => [spec.key, this.controls[spec.key].value]));
  }

  writeUrl() {
    const url = new URL(location.href);
    for (const spec of FIELDS) url.searchParams.set(spec.key, String(this.settings[spec.key]));
    history.replaceState(history.state, "", url);
  }

  // -- drawing -----------------------------------------------------------------------------
  draw() {
    if (!this.grid) return;
    const last = this.history[this.history.length - 1];
    for (const [key] of READOUTS) {
      this.readouts[key].textContent = key === "epoch" ? String(this.progress.epoch) : format(last[key]);
    }
    this.element.dataset.actEpoch = String(this.progress.epoch);
    lineChart(this.curves, {
      title: `Loss curves: training loss ${format(last.train_loss)}, test loss ${format(last.test_loss)} after epoch ${last.epoch}`,
      series: this.curveSeries(),
      xLabel: "epoch",
      yLabel: "loss",
      yMin: 0,
    });
    this.drawMap();
  }

  drawMap() {
    const context = this.canvas.getContext("2d");
    const size = this.canvas.width;
    const { one, zero, background, foreground } = this.palette().rgb;
    const { probability, extent } = this.grid;
    const n = probability.length;
    const image = new ImageData(n, n);
    for (let row = 0; row < n; row++) {
      const values = probability[n - 1 - row]; // row 0 of the grid is the bottom
      for (let col = 0; col < n; col++) {
        const p = values[col];
        const toward = p >= 0.5 ? one : zero;
        const weight = Number.isFinite(p) ? Math.abs(2 * p - 1) * 0.6 : 0;
        const at = 4 * (row * n + col);
        for (let c = 0; c < 3; c++) image.data[at + c] = background[c] + (toward[c] - background[c]) * weight;
        image.data[at + 3] = 255;
      }
    }
    const small = make("canvas", { width: n, height: n });
    small.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(small, 0, 0, size, size);
    const toPixel = ([x, y]) => [((x + extent) / (2 * extent)) * size, ((extent - y) / (2 * extent)) * size];
    const rgb = (c) => `rgb(${c.join(",")})`;
    context.lineWidth = 1.5;
    const dots = (xs, ys, filled) => {
      xs.forEach((point, i) => {
        const [x, y] = toPixel(point);
        context.beginPath();
        context.arc(x, y, filled ? 3.5 : 3, 0, 2 * Math.PI);
        context.fillStyle = rgb(ys[i] === 1 ? one : zero);
        context.strokeStyle = filled ? rgb(foreground) : rgb(ys[i] === 1 ? one : zero);
        if (filled) context.fill();
        context.stroke();
      });
    };
    dots(this.points.x_test, this.points.y_test, false);
    dots(this.points.x_train, this.points.y_train, true);
    // Axes through the origin, with their ends labelled.
    context.strokeStyle = rgb(foreground);
    context.globalAlpha = 0.5;
    context.beginPath();
    context.moveTo(0, size / 2);
    context.lineTo(size, size / 2);
    context.moveTo(size / 2, 0);
    context.lineTo(size / 2, size);
    context.stroke();
    context.globalAlpha = 1;
    context.fillStyle = rgb(foreground);
    context.font = "13px sans-serif";
    context.fillText(`x₁ = ${extent}`, size - 62, size / 2 - 6);
    context.fillText(`x₂ = ${extent}`, size / 2 + 6, 14);
    const last = this.history[this.history.length - 1];
    this.canvas.setAttribute(
      "aria-label",
      `Decision map of a ${this.settings.hidden || "no hidden layer"} ${this.settings.activation} network on ${this.settings.dataset}, epoch ${this.progress.epoch}: test accuracy ${format(last.test_accuracy)}.`,
    );
  }

  // The aria-live summary: at once when `now`, else at most every ANNOUNCE_EVERY_MS.
  announce(now) {
    const time = performance.now();
    if (!now && time - this.lastAnnounce < ANNOUNCE_EVERY_MS) return;
    this.lastAnnounce = time;
    const last = this.history[this.history.length - 1];
    this.announcer.textContent = `Epoch ${this.progress.epoch}: test accuracy ${format(last.test_accuracy)}, test loss ${format(last.test_loss)}.`;
  }
}
