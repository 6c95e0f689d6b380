// The compare view (docs/explore/compare.md): any functions, and/or their derivatives, on
// one plot with the explorer's readout, zoom and pan (chart.mjs), and presets.
//
// The list of functions and every value drawn come from Python: activations.names() and
// activations.lab.curves.overlay, which samples all chosen functions on one shared x.
// At most one call is in flight; the latest choice wins. The state lives in the query
// string, e.g. ?f=relu,gelu&d=relu&xmin=-3&xmax=3 (f: functions drawn, d: derivatives
// drawn); names in a link that are not functions are ignored, with a note. Every
// redraw dispatches "act-explorer:drawn" on the element and counts in data-act-draws.

import { LineChart } from "./chart.mjs";
import { pyValue, readRange, throttledURL } from "./explorer.mjs";

export const PRESETS = [
  { label: "The seed's four", names: ["step", "sigmoid", "relu", "tanh"] },
  { label: "ReLU family", names: ["relu", "leaky_relu", "prelu", "relu6", "elu", "selu"] },
  { label: "Smooth gates", names: ["gelu", "silu", "mish", "softplus"] },
];
const DEFAULT = PRESETS[0].names;
const SPAN = [-5, 5];
const POINTS = 601;
const COLOURS = 8; // --act-series-1 … 8 (site.css, both palettes)
const DASHES = ["", "2 3", "9 3 2 3"]; // f: solid, then these once the colours repeat
const DERIVATIVE_DASH = "7 4";

let compares = 0;

export function mount(element, runtime) {
  return new Compare(element, runtime);
}

// {f, d, range, problems} from a query string; `known` is the set of function names.
export function readState(search, known) {
  const query = new URLSearchParams(search);
  const problems = [];
  const list = (key) => {
    if (!query.has(key)) return null;
    const names = query.get(key).split(",").map((name) => name.trim()).filter(Boolean);
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length) problems.push(`${key}=${unknown.join(",")} (not a function)`);
    return [...new Set(names.filter((name) => known.has(name)))];
  };
  const f = list("f");
  const d = list("d");
  const range = readRange(query, [...SPAN], problems);
  return { f: f ?? (d ? [] : DEFAULT), d: d ?? [], range, problems };
}

class Compare {
  constructor(element, runtime) {
    compares += 1;
    this.id = `act-compare-${compares}`;
    this.element = element;
    this.runtime = runtime;
    this.gone = false;
    this.busy = false;
    this.dirty = false;
    this.draws = 0;
    this.catalogue = []; // [{name, display, family, vector}] from Python
    this.boxes = new Map(); // "f:relu" -> checkbox
    this.range = [...SPAN];
    this.url = throttledURL(() => this.saveState());
    this.hidden = [...element.children].filter((child) => !child.hidden);
    for (const child of this.hidden) child.hidden = true;
    this.build();
    this.onStatus = ({ detail }) => !this.catalogue.length && detail.text && this.say(`${detail.text}…`);
    runtime.addEventListener("status", this.onStatus);
    this.say("Starting Python…");
    this.load();
  }

  unmount() {
    this.gone = true;
    this.url.cancel();
    this.runtime.removeEventListener("status", this.onStatus);
    this.chart.destroy();
    this.root.remove();
    for (const child of this.hidden) child.hidden = false;
  }

  build() {
    this.root = document.createElement("div");
    this.root.className = "act-compare";
    const presets = document.createElement("div");
    presets.className = "act-explorer-buttons";
    presets.setAttribute("role", "group");
    presets.setAttribute("aria-label", "Presets");
    this.buttons = [];
    for (const preset of [...PRESETS, { label: "Clear", names: [] }]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "act-cell-button act-explorer-button";
      button.textContent = preset.label;
      button.disabled = true;
      button.addEventListener("click", () => this.choose(preset.names, []));
      presets.append(button);
      this.buttons.push(button);
    }
    this.status = document.createElement("p");
    this.status.className = "act-explorer-status";
    this.status.setAttribute("role", "status");
    this.problem = document.createElement("p");
    this.problem.className = "act-explorer-note";
    this.problem.hidden = true;
    const chartBox = document.createElement("div");
    chartBox.className = "act-explorer-chart";
    this.list = document.createElement("div");
    this.list.className = "act-compare-list";
    this.root.append(presets, this.status, this.problem, chartBox, this.list);
    this.element.append(this.root);
    this.chart = new LineChart(chartBox, {
      label: "The chosen functions and derivatives on one plot",
      onRange: (lo, hi) => {
        this.range = [lo, hi];
        this.changed();
      },
    });
    this.chart.first = [...SPAN];
  }

  async load() {
    try {
      this.catalogue = await this.runtime.call(`import activations
[{"name": n, "display": activations.get(n).display_name, "family": activations.get(n).family} for n in activations.names()]`);
    } catch (error) {
      if (!this.gone) this.say(`Python did not start: ${error.message}`, true);
      return;
    }
    if (this.gone) return;
    const { f, d, range, problems } = readState(location.search, new Set(this.catalogue.map((entry) => entry.name)));
    this.linkNote = problems.length ? `Ignored from the link: ${problems.join("; ")}.` : "";
    this.showNote("");
    this.range = range;
    this.chart.view = [...range];
    this.buildList();
    for (const button of this.buttons) button.disabled = false;
    this.choose(f, d);
  }

  buildList() {
    const families = new Map();
    for (const entry of this.catalogue) {
      if (!families.has(entry.family)) families.set(entry.family, []);
      families.get(entry.family).push(entry);
    }
    const intro = document.createElement("p");
    intro.className = "act-compare-intro";
    intro.textContent = "Choose what to draw: f, its derivative f′, or both.";
    const groups = [...families].map(([family, entries]) => {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = family[0].toUpperCase() + family.slice(1);
      set.append(legend);
      for (const entry of entries) {
        const row = document.createElement("div");
        row.className = "act-compare-row";
        const name = document.createElement("span");
        name.className = "act-compare-name";
        name.textContent = entry.display;
        row.append(name);
        for (const [kind, text] of [["f", "f"], ["d", "f′"]]) {
          const box = document.createElement("input");
          box.type = "checkbox";
          box.id = `${this.id}-${kind}-${entry.name}`;
          box.dataset.actCompare = `${kind}:${entry.name}`;
          box.setAttribute("aria-label", `${entry.display} ${text}`);
          box.addEventListener("change", () => this.changed());
          const label = document.createElement("label");
          label.htmlFor = box.id;
          label.textContent = text;
          row.append(box, label);
          this.boxes.set(`${kind}:${entry.name}`, box);
        }
        set.append(row);
      }
      return set;
    });
    this.list.replaceChildren(intro, ...groups);
  }

  choose(f, d) {
    for (const [key, box] of this.boxes) {
      const [kind, name] = key.split(":");
      box.checked = (kind === "f" ? f : d).includes(name);
    }
    this.changed();
  }

  // The chosen names, in the catalogue's order: {f: [...], d: [...]}.
  chosen() {
    const pick = (kind) => this.catalogue.map((entry) => entry.name).filter((name) => this.boxes.get(`${kind}:${name}`)?.checked);
    return { f: pick("f"), d: pick("d") };
  }

  changed() {
    this.dirty = true;
    this.url.schedule();
    this.refresh();
  }

  saveState() {
    const { f, d } = this.chosen();
    const query = new URLSearchParams(location.search);
    query.set("f", f.join(","));
    if (d.length) query.set("d", d.join(","));
    else query.delete("d");
    const atDefault = this.range[0] === SPAN[0] && this.range[1] === SPAN[1];
    for (const [key, value] of [["xmin", this.range[0]], ["xmax", this.range[1]]]) {
      if (atDefault) query.delete(key);
      else query.set(key, String(Number(value.toPrecision(12))));
    }
    const search = query.toString().replaceAll("%2C", ",");
    history.replaceState(history.state, "", `${location.pathname}?${search}${location.hash}`);
  }

  async refresh() {
    if (this.busy || this.gone || !this.catalogue.length) return;
    this.busy = true;
    try {
      while (this.dirty && !this.gone) {
        this.dirty = false;
        const { f, d } = this.chosen();
        const names = this.catalogue.map((entry) => entry.name).filter((name) => f.includes(name) || d.includes(name));
        const range = [...this.range];
        let result;
        try {
          const request = { names, lo: range[0], hi: range[1], n: POINTS };
          result = await this.runtime.call(`from activations.lab.curves import overlay\noverlay(**${pyValue(request)})`);
        } catch (error) {
          if (this.gone) return;
          this.say("The last change could not be drawn.", true);
          this.showNote(error.message.trim().split("\n").pop());
          continue;
        }
        if (this.gone) return;
        this.draw(result, f, d, range);
      }
    } finally {
      this.busy = false;
    }
  }

  draw(result, f, d, range) {
    const series = [];
    result.curves.forEach((curve, i) => {
      const colour = `var(--act-series-${(i % COLOURS) + 1})`;
      const dash = DASHES[Math.floor(i / COLOURS) % DASHES.length];
      if (f.includes(curve.name)) series.push({ key: `f:${curve.name}`, label: curve.display, y: curve.f, gaps: curve.f_gaps, colour, dash });
      if (d.includes(curve.name)) series.push({ key: `d:${curve.name}`, label: `${curve.display} f′`, y: curve.df, gaps: curve.df_gaps, colour, dash: DERIVATIVE_DASH });
    });
    this.chart.draw({ x: result.x, series, range });
    this.draws += 1;
    this.element.dataset.actDraws = String(this.draws);
    this.say(series.length ? `${series.length} curve${series.length > 1 ? "s" : ""}, computed by activations in your browser.` : "Nothing chosen: pick a preset or tick f / f′ below.");
    this.showNote("");
    this.element.dispatchEvent(new CustomEvent("act-explorer:drawn", { bubbles: true, detail: { draws: this.draws, f, d, range } }));
  }

  say(text, alert = false) {
    this.status.textContent = text;
    this.status.setAttribute("role", alert ? "alert" : "status");
  }

  showNote(error) {
    const text = [this.linkNote, error].filter(Boolean).join(" ");
    this.problem.textContent = text;
    this.problem.hidden = !text;
  }
}
