// "Gradients through depth" (docs/explore/gradients.md): a deep MLP, freshly initialised,
// one batch forward and back; per layer, the gradient norms (log scale) and the
// activations' mean and standard deviation. Every number is activations.lab.depth.profile's,
// computed in the Python worker: one call per change of a control. The settings live in
// the page's query string (playground.mjs, linkedSettings), e.g. ?activation=relu&depth=30.

import { DEMOS, button, field, followStatus, format, legend, lineChart, linkSettings, linkedSettings, make, onPaletteChange, py, refusedNote, takeOver, uniqueId } from "./playground.mjs";

const SVG = "http://www.w3.org/2000/svg";
const DEFAULTS = { activation: "sigmoid", init: "xavier", std: 1, depth: 20, width: 32 };
const MAX_DEPTH = 50;
const MAX_WIDTH = 128;

export function mount(element, runtime) {
  return new DepthDemo(element, runtime);
}

class DepthDemo {
  constructor(element, runtime) {
    this.element = element;
    this.runtime = runtime;
    this.id = uniqueId("depth");
    this.gone = false;
    this.profile = null;
    this.pending = null; // the settings of a change made while a call runs
    this.refused = []; // settings of the page's link that could not be used, until said
    this.busy = false;
    this.restore = takeOver(element);
    this.build();
    this.stopStatus = followStatus(runtime, (text) => this.say(text));
    this.stopPalette = onPaletteChange(() => this.draw());
    this.say("Starting Python…");
    this.load();
  }

  unmount() {
    this.gone = true;
    this.stopStatus();
    this.stopPalette();
    this.root.remove();
    this.restore();
  }

  build() {
    const id = (key) => `${this.id}-${key}`;
    const specs = [
      ["activation", { label: "Activation", kind: "select" }],
      ["init", { label: "Initialisation", kind: "select" }],
      ["std", { label: "Weight std (normal init)", kind: "number", min: 0.01, max: 10, step: "any" }],
      ["depth", { label: "Hidden layers", kind: "number", min: 1, max: MAX_DEPTH, step: 1 }],
      ["width", { label: "Units per layer", kind: "number", min: 1, max: MAX_WIDTH, step: 1 }],
    ];
    this.form = make("form", { class: "act-demo-controls", "aria-label": "Deep network" });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.controls = {};
    for (const [key, spec] of specs) {
      const { wrapper, control } = field(id(key), spec);
      control.name = key;
      control.value = String(DEFAULTS[key]);
      control.disabled = true;
      control.addEventListener("change", () => this.changed());
      this.controls[key] = control;
      this.form.append(wrapper);
    }
    this.status = make("span", { class: "act-demo-status", role: "status" });
    this.resetButton = button("Defaults", () => this.defaults());
    this.resetButton.disabled = true;
    const bar = make("div", { class: "act-demo-bar" }, this.resetButton, this.status);

    this.gradients = document.createElementNS(SVG, "svg");
    this.activity = document.createElementNS(SVG, "svg");
    this.gradientLegend = make("div");
    this.activityLegend = make("div");
    const figures = make(
      "div",
      { class: "act-demo-views" },
      make("figure", { class: "act-demo-figure" }, this.gradients, this.gradientLegend, make("figcaption", { text: "Gradient norms per hidden layer (layer 1 is next to the input), on a logarithmic scale." })),
      make("figure", { class: "act-demo-figure" }, this.activity, this.activityLegend, make("figcaption", { text: "Mean and standard deviation of each layer's activations h = f(z) over the batch." })),
    );
    this.readouts = {};
    const list = make("dl", { class: "act-demo-readout" });
    for (const [key, text] of [
      ["first_grad", "‖∂L/∂W₁‖ (first layer)"],
      ["last_grad", "‖∂L/∂W‖ (last hidden layer)"],
      ["last_mean", "Mean of h (last hidden layer)"],
      ["last_std", "Std of h (last hidden layer)"],
    ]) {
      this.readouts[key] = make("dd", { "data-act-readout": key, text: "—" });
      list.append(make("div", {}, make("dt", { text }), this.readouts[key]));
    }
    this.table = make("table");
    const details = make("details", { class: "act-demo-details" }, make("summary", { text: "Every layer's numbers" }), make("div", { class: "act-demo-scroll", tabindex: "0", role: "region", "aria-label": "Every layer's numbers (scrolls sideways)" }, this.table));
    this.root = make("div", { class: "act-demo act-depth" }, this.form, bar, list, figures, details);
    this.element.append(this.root);
  }

  say(text, alert = false) {
    this.status.textContent = text;
    this.status.setAttribute("role", alert ? "alert" : "status");
  }

  async load() {
    try {
      const options = await this.runtime.call(`from activations.lab import INITS, ELEMENTWISE
{"activations": list(ELEMENTWISE), "inits": list(INITS)}`);
      if (this.gone) return;
      for (const [key, values] of [["activation", options.activations], ["init", options.inits]]) {
        for (const value of values) this.controls[key].append(make("option", { value, text: value.replaceAll("_", " ") }));
        this.controls[key].value = DEFAULTS[key];
      }
      for (const control of Object.values(this.controls)) control.disabled = false;
      this.refused = linkedSettings(this.controls);
      this.resetButton.disabled = false;
      this.syncStd();
      this.changed();
    } catch (error) {
      this.say(`Python failed: ${error.message}`, true);
    }
  }

  syncStd() {
    this.controls.std.disabled = this.controls.init.value !== "normal";
  }

  defaults() {
    for (const [key, value] of Object.entries(DEFAULTS)) this.controls[key].value = String(value);
    this.changed();
  }

  // One profile per change; changes made meanwhile collapse into the latest.
  changed() {
    this.syncStd();
    const invalid = Object.values(this.controls).filter((control) => !control.disabled && !control.checkValidity());
    for (const control of Object.values(this.controls)) control.toggleAttribute("aria-invalid", invalid.includes(control));
    if (invalid.length) {
      this.say(`Not applied: ${invalid.map((c) => `${c.labels[0].textContent}: ${c.validationMessage}`).join(" ")}`);
      return;
    }
    this.pending = {
      activation: this.controls.activation.value,
      init: this.controls.init.value,
      std: Number(this.controls.std.value),
      depth: Number(this.controls.depth.value),
      width: Number(this.controls.width.value),
    };
    if (!this.busy) this.compute();
  }

  async compute() {
    this.busy = true;
    this.element.dataset.actBusy = "true";
    while (this.pending && !this.gone) {
      const settings = this.pending;
      this.pending = null;
      this.say("Computing…");
      try {
        const code = `${DEMOS}from activations.lab import depth as _depth
_s = ${py(settings)}
_depth.profile(_s["activation"], depth=_s["depth"], width=_s["width"], init=_s["init"], std=_s["std"]).as_dict()`;
        this.profile = await this.runtime.call(code);
        if (this.gone) return;
        this.draw();
        linkSettings(settings, DEFAULTS);
        this.say(`Computed: ${settings.depth} layers of ${settings.width} ${settings.activation} units, ${settings.init} initialisation.${refusedNote(this.refused)}`);
        this.refused = [];
      } catch (error) {
        this.say(`Python failed: ${error.message}`, true);
      }
    }
    this.busy = false;
    this.element.dataset.actBusy = "false";
  }

  draw() {
    if (!this.profile) return;
    const { layers } = this.profile;
    const style = getComputedStyle(this.element);
    const color = (n) => style.getPropertyValue(`--act-series-${n}`).trim() || "currentColor";
    const xs = layers.map((layer) => layer.layer);
    const gradientSeries = [
      { label: "‖∂L/∂Wₗ‖, what SGD changes the weights by", values: layers.map((l) => l.weight_grad_norm), xs, color: color(1) },
      { label: "‖∂L/∂zₗ‖, the signal sent back", values: layers.map((l) => l.delta_norm), xs, color: color(2), dash: "6 4" },
    ];
    const activitySeries = [
      { label: "mean of h", values: layers.map((l) => l.mean), xs, color: color(3) },
      { label: "standard deviation of h", values: layers.map((l) => l.std), xs, color: color(4), dash: "6 4" },
    ];
    const first = layers[0];
    const last = layers[layers.length - 1];
    lineChart(this.gradients, {
      title: `Gradient norms by layer, logarithmic: first layer ${format(first.weight_grad_norm)}, last ${format(last.weight_grad_norm)}`,
      series: gradientSeries,
      xLabel: "hidden layer",
      yLabel: "norm (log scale)",
      log: true,
    });
    lineChart(this.activity, {
      title: `Activation statistics by layer: last layer mean ${format(last.mean)}, standard deviation ${format(last.std)}`,
      series: activitySeries,
      xLabel: "hidden layer",
      yLabel: "value",
    });
    this.gradientLegend.replaceChildren(legend(gradientSeries));
    this.activityLegend.replaceChildren(legend(activitySeries));
    this.readouts.first_grad.textContent = format(first.weight_grad_norm);
    this.readouts.last_grad.textContent = format(last.weight_grad_norm);
    this.readouts.last_mean.textContent = format(last.mean);
    this.readouts.last_std.textContent = format(last.std);
    this.element.dataset.actFirstGrad = String(first.weight_grad_norm);
    const head = ["layer", "mean h", "std h", "share h = 0", "mean |f′(z)|", "‖∂L/∂W‖", "‖∂L/∂z‖"];
    const keys = ["layer", "mean", "std", "fraction_zero", "mean_abs_slope", "weight_grad_norm", "delta_norm"];
    this.table.replaceChildren(
      make("thead", {}, make("tr", {}, ...head.map((text) => make("th", { scope: "col", text })))),
      make("tbody", {}, ...layers.map((layer) => make("tr", {}, ...keys.map((key) => make("td", { text: key === "layer" ? String(layer.layer) : format(layer[key]) }))))),
    );
  }
}
