// A small SVG line chart with a readout, for the explorers (explorer.mjs, compare.mjs) and
// any demo that plots curves y(x) computed elsewhere. It only draws: every value it shows
// was given to it (from Python), none is computed here.
//
// API
//   const chart = new LineChart(container, { label, xLabel = "x", onRange })
//     Builds, inside `container`: a focusable plot (role="group", named `label`), an SVG,
//     and a readout line below it. `onRange(lo, hi)` is called when the reader zooms or
//     pans (the owner then asks for samples on the new range and calls draw again).
//   chart.draw({ x, series, range })
//     x: increasing numbers; range: [lo, hi] shown (defaults to x's ends);
//     series: [{ key, label, y, gaps = [], colour = "var(--act-series-1)", dash = "" }]:
//     y[i] belongs to x[i]; a value that is not finite leaves a gap, and so does every i in
//     `gaps` (x[i] is not joined to x[i+1]); a point with gaps on both sides is a dot.
//     The drawn data stays readable as `chart.data` (and as the plot element's `actData`).
//     Below the plot, a legend lists the series (a line sample in its colour and dash).
//   chart.range → [lo, hi] shown; chart.setRange(lo, hi) changes it (calls onRange).
//   chart.destroy() removes what the chart added.
//
// Reading values: hovering or pressing ←/→ (Home/End) in the focused plot moves a
// crosshair from sample to sample, and the readout gives x and each series' value there
// (formatted by `formatNumber`). Zoom: +/− keys, the wheel while the plot has focus, or
// zoomIn()/zoomOut(); pan: Shift+←/→, or drag with the pointer. 0 restores the range
// first drawn. Colours are CSS custom properties (site.css defines them for both
// palettes); lines differ by dash too, so colour is never the only cue.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const HEIGHT = 340;
const MARGIN = { left: 48, right: 14, top: 12, bottom: 34 };
const ZOOM_STEP = 1.25;
const PAN_SHARE = 0.1; // Shift+arrow pans by this share of the range
const MIN_SPAN = 1e-3;
const MAX_ABS_X = 1e6; // activations.lab.curves.MAX_ABS_X

let charts = 0;

// A value as the readout shows it: 6 significant digits, a true minus sign.
export function formatNumber(value) {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return String(Number(value.toPrecision(6))).replace("-", "−");
}

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

// Round numbers: about five ticks over [lo, hi].
export function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const result = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) result.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return result;
}

export class LineChart {
  constructor(container, { label, xLabel = "x", onRange = () => {} }) {
    charts += 1;
    this.id = `act-chart-${charts}`;
    this.onRange = onRange;
    this.xLabel = xLabel;
    this.data = null;
    this.first = null; // the range first drawn (the 0 key goes back to it)
    this.view = null; // [lo, hi] shown
    this.index = null; // the sample under the crosshair
    this.drag = null;

    this.plot = document.createElement("div");
    this.plot.className = "act-chart-plot";
    this.plot.tabIndex = 0;
    this.plot.setAttribute("role", "group");
    this.plot.setAttribute("aria-label", label);
    this.plot.setAttribute("aria-describedby", `${this.id}-keys`);
    this.svg = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "act-chart-svg", "aria-hidden": "true" });
    this.grid = svg("g", { class: "act-chart-grid" });
    this.lines = svg("g", { class: "act-chart-lines" });
    this.cross = svg("line", { class: "act-chart-cross", y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, visibility: "hidden" });
    this.marks = svg("g", { class: "act-chart-marks" });
    const clip = svg("clipPath", { id: `${this.id}-clip` });
    clip.append(svg("rect", { x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom }));
    const defs = svg("defs");
    defs.append(clip);
    this.lines.setAttribute("clip-path", `url(#${this.id}-clip)`);
    this.svg.append(defs, this.grid, this.lines, this.cross, this.marks);
    this.plot.append(this.svg);

    this.keys = document.createElement("p");
    this.keys.id = `${this.id}-keys`;
    this.keys.className = "act-chart-keys";
    this.keys.textContent = "In the plot: ← → move the readout, + − zoom, Shift+← → pan, 0 resets the range; or hover, drag and (once focused) use the wheel.";
    this.readout = document.createElement("p");
    this.readout.className = "act-chart-readout";
    this.readout.dataset.actReadout = "";
    this.readout.textContent = "—";
    this.legend = document.createElement("ul");
    this.legend.className = "act-chart-legend";
    this.legend.setAttribute("aria-label", "Legend");
    this.root = document.createElement("div");
    this.root.className = "act-chart";
    this.root.append(this.plot, this.legend, this.readout, this.keys);
    container.append(this.root);

    this.listeners = [
      [this.plot, "keydown", (event) => this.#key(event)],
      [this.plot, "focus", () => this.readout.setAttribute("aria-live", "polite")],
      [this.plot, "blur", () => this.readout.removeAttribute("aria-live")],
      [this.svg, "pointermove", (event) => this.#pointerMove(event)],
      [this.svg, "pointerdown", (event) => this.#pointerDown(event)],
      [this.svg, "pointerup", (event) => this.#pointerUp(event)],
      [this.svg, "pointercancel", (event) => this.#pointerUp(event)],
      [this.svg, "wheel", (event) => this.#wheel(event)],
    ];
    for (const [target, type, listener] of this.listeners) target.addEventListener(type, listener);
  }

  destroy() {
    for (const [target, type, listener] of this.listeners) target.removeEventListener(type, listener);
    this.root.remove();
  }

  get range() {
    return this.view ? [...this.view] : null;
  }

  draw({ x, series, range = [x[0], x[x.length - 1]] }) {
    this.data = { x, series, range };
    this.plot.actData = this.data;
    this.view = [...range];
    this.first ??= [...range];
    this.#render();
    this.#showLegend();
  }

  #showLegend() {
    this.legend.replaceChildren(
      ...this.data.series.map(({ key, label, colour = "var(--act-series-1)", dash = "" }) => {
        const item = document.createElement("li");
        item.dataset.actSeries = key;
        const swatch = svg("svg", { viewBox: "0 0 28 8", "aria-hidden": "true", class: "act-chart-swatch" });
        const line = svg("line", { x1: 1, x2: 27, y1: 4, y2: 4, style: `stroke: ${colour}` });
        if (dash) line.setAttribute("stroke-dasharray", dash);
        swatch.append(line);
        item.append(swatch, document.createTextNode(label));
        return item;
      }),
    );
  }

  setRange(lo, hi) {
    const span = Math.max(hi - lo, MIN_SPAN);
    const middle = (lo + hi) / 2;
    lo = Math.max(middle - span / 2, -MAX_ABS_X);
    hi = Math.min(lo + span, MAX_ABS_X);
    this.view = [lo, hi];
    if (this.data) this.#render(); // the old samples, rescaled, until new ones arrive
    this.onRange(lo, hi);
  }

  zoomIn(centre) {
    this.#zoom(1 / ZOOM_STEP, centre);
  }

  zoomOut(centre) {
    this.#zoom(ZOOM_STEP, centre);
  }

  #zoom(factor, centre) {
    const [lo, hi] = this.view;
    const at = centre ?? (this.index !== null ? this.data.x[this.index] : (lo + hi) / 2);
    this.setRange(at - (at - lo) * factor, at + (hi - at) * factor);
  }

  #pan(share) {
    const [lo, hi] = this.view;
    const shift = (hi - lo) * share;
    this.setRange(lo + shift, hi + shift);
  }

  // -- drawing ---------------------------------------------------------------------------
  #scales() {
    const [lo, hi] = this.view;
    const { x, series } = this.data;
    let yLo = Infinity;
    let yHi = -Infinity;
    for (const { y } of series) {
      for (let i = 0; i < x.length; i++) {
        if (x[i] < lo || x[i] > hi || !Number.isFinite(y[i])) continue;
        if (y[i] < yLo) yLo = y[i];
        if (y[i] > yHi) yHi = y[i];
      }
    }
    if (!Number.isFinite(yLo)) [yLo, yHi] = [-1, 1];
    const limit = 1.6 * Math.max(Math.abs(lo), Math.abs(hi)) + 1; // steep curves do not flatten the rest
    yLo = Math.max(yLo, -limit);
    yHi = Math.min(yHi, limit);
    if (yHi - yLo < 1) [yLo, yHi] = [(yLo + yHi) / 2 - 0.75, (yLo + yHi) / 2 + 0.75];
    const pad = 0.08 * (yHi - yLo);
    [yLo, yHi] = [yLo - pad, yHi + pad];
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    return {
      yLo,
      yHi,
      px: (v) => left + ((v - lo) / (hi - lo)) * (right - left),
      py: (v) => bottom - ((v - yLo) / (yHi - yLo)) * (bottom - top),
      xOf: (pixel) => lo + ((pixel - left) / (right - left)) * (hi - lo),
    };
  }

  #render() {
    const scale = this.#scales();
    this.scale = scale;
    this.#axes(scale);
    const { x, series } = this.data;
    const paths = [];
    for (const { key, label, y, gaps = [], colour = "var(--act-series-1)", dash = "" } of series) {
      const gapSet = new Set(gaps);
      const line = [];
      const dots = [];
      let open = false;
      // Far outside the plot a value is clamped (the clip path hides it), so SVG numbers stay small.
      const clampY = (v) => Math.min(Math.max(scale.py(v), -HEIGHT), 2 * HEIGHT);
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(y[i])) {
          open = false;
          continue;
        }
        const point = `${scale.px(x[i]).toFixed(2)} ${clampY(y[i]).toFixed(2)}`;
        const joinedBefore = open;
        line.push(`${open ? "L" : "M"}${point}`);
        open = !gapSet.has(i);
        if (!joinedBefore && !open) dots.push(point);
      }
      const group = svg("g", { "data-series": key });
      const path = svg("path", { d: line.join(""), class: "act-chart-line", style: `stroke: ${colour}` });
      if (dash) path.setAttribute("stroke-dasharray", dash);
      group.append(path);
      for (const point of dots) {
        const [cx, cy] = point.split(" ");
        group.append(svg("circle", { cx, cy, r: 3.5, class: "act-chart-dot", style: `fill: ${colour}` }));
      }
      const title = svg("title");
      title.textContent = label;
      group.append(title);
      paths.push(group);
    }
    this.lines.replaceChildren(...paths);
    if (this.index !== null && this.index >= x.length) this.index = null;
    this.#showReadout();
  }

  #axes({ yLo, yHi, px, py }) {
    const [lo, hi] = this.view;
    const parts = [];
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    for (const t of ticks(lo, hi, 6)) {
      const at = px(t);
      parts.push(svg("line", { x1: at, x2: at, y1: top, y2: bottom, class: t === 0 ? "act-chart-axis" : "act-chart-tick" }));
      const text = svg("text", { x: at, y: bottom + 16, "text-anchor": "middle" });
      text.textContent = formatNumber(t);
      parts.push(text);
    }
    for (const t of ticks(yLo, yHi, 5)) {
      const at = py(t);
      parts.push(svg("line", { x1: left, x2: right, y1: at, y2: at, class: t === 0 ? "act-chart-axis" : "act-chart-tick" }));
      const text = svg("text", { x: left - 6, y: at + 4, "text-anchor": "end" });
      text.textContent = formatNumber(t);
      parts.push(text);
    }
    const name = svg("text", { x: right, y: HEIGHT - 4, "text-anchor": "end", class: "act-chart-label" });
    name.textContent = this.xLabel;
    parts.push(name, svg("rect", { x: left, y: top, width: right - left, height: bottom - top, class: "act-chart-frame" }));
    this.grid.replaceChildren(...parts);
  }

  // -- the readout -------------------------------------------------------------------------
  #showReadout() {
    const { x, series } = this.data;
    if (this.index === null) {
      this.cross.setAttribute("visibility", "hidden");
      this.marks.replaceChildren();
      this.readout.textContent = "Hover over the plot, or focus it and press ← →, to read values.";
      return;
    }
    const i = this.index;
    const at = this.scale.px(x[i]);
    this.cross.setAttribute("x1", at);
    this.cross.setAttribute("x2", at);
    this.cross.setAttribute("visibility", x[i] >= this.view[0] && x[i] <= this.view[1] ? "visible" : "hidden");
    this.marks.replaceChildren(
      ...series
        .filter(({ y }) => Number.isFinite(y[i]))
        .map(({ y, colour = "var(--act-series-1)" }) => svg("circle", { cx: at, cy: this.scale.py(y[i]), r: 4, class: "act-chart-mark", style: `stroke: ${colour}` })),
    );
    const values = series.map(({ label, y }) => `${label} = ${formatNumber(y[i])}`);
    this.readout.textContent = [`${this.xLabel} = ${formatNumber(x[i])}`, ...values].join(", ");
    this.readout.dataset.actIndex = String(i);
  }

  // The sample nearest to `value` among those shown.
  #nearest(value) {
    const { x } = this.data;
    let lo = 0;
    let hi = x.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid] < value) lo = mid;
      else hi = mid;
    }
    return Math.abs(x[lo] - value) <= Math.abs(x[hi] - value) ? lo : hi;
  }

  moveTo(index) {
    if (!this.data) return;
    this.index = Math.min(Math.max(index, 0), this.data.x.length - 1);
    this.#showReadout();
  }

  #key(event) {
    if (!this.data) return;
    const { x } = this.data;
    const here = this.index ?? this.#nearest((this.view[0] + this.view[1]) / 2);
    const handled = {
      ArrowLeft: () => (event.shiftKey ? this.#pan(-PAN_SHARE) : this.moveTo(this.index === null ? here : here - 1)),
      ArrowRight: () => (event.shiftKey ? this.#pan(PAN_SHARE) : this.moveTo(this.index === null ? here : here + 1)),
      Home: () => this.moveTo(this.#nearest(this.view[0])),
      End: () => this.moveTo(this.#nearest(this.view[1])),
      "+": () => this.zoomIn(),
      "=": () => this.zoomIn(),
      "-": () => this.zoomOut(),
      "0": () => this.first && this.setRange(...this.first),
    }[event.key];
    if (!handled) return;
    event.preventDefault();
    handled();
    if (this.index !== null && (x[this.index] < this.view[0] || x[this.index] > this.view[1])) {
      this.moveTo(this.#nearest(Math.min(Math.max(x[this.index], this.view[0]), this.view[1])));
    }
  }

  #pixelX(event) {
    const box = this.svg.getBoundingClientRect();
    return ((event.clientX - box.left) / box.width) * WIDTH;
  }

  #pointerMove(event) {
    if (!this.data) return;
    const pixel = this.#pixelX(event);
    if (this.drag) {
      const shift = this.scale.xOf(this.drag.pixel) - this.scale.xOf(pixel);
      this.drag.pixel = pixel;
      if (shift) this.setRange(this.view[0] + shift, this.view[1] + shift);
      return;
    }
    this.moveTo(this.#nearest(this.scale.xOf(pixel)));
  }

  #pointerDown(event) {
    if (!this.data || event.button !== 0) return;
    this.drag = { pixel: this.#pixelX(event) };
    this.svg.setPointerCapture(event.pointerId);
  }

  #pointerUp(event) {
    this.drag = null;
    if (this.svg.hasPointerCapture(event.pointerId)) this.svg.releasePointerCapture(event.pointerId);
  }

  // The wheel zooms only once the plot has focus, so it never hijacks scrolling the page.
  #wheel(event) {
    if (!this.data || document.activeElement !== this.plot) return;
    event.preventDefault();
    const centre = this.scale.xOf(this.#pixelX(event));
    if (event.deltaY < 0) this.zoomIn(centre);
    else if (event.deltaY > 0) this.zoomOut(centre);
  }
}
