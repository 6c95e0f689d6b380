// "Dead units" (docs/explore/dead-units.md): the same network, seed and (too large)
// learning rate with relu, leaky_relu and gelu; after every epoch, the share of hidden
// units that are dead (f'(z) = 0 on every training point) and silent (z ≤ 0 on every
// one). activations.lab.dead_units.DeadUnits does the work in the Python worker, one
// epoch of each activation per call, so the curves grow as it trains. The settings of the
// latest run live in the page's query string (playground.mjs, linkedSettings): a link
// fills the form, and the reader presses Run.

import { DEMOS, button, field, followStatus, format, leave, legend, lineChart, linkSettings, linkedSettings, make, onPaletteChange, py, refusedNote, takeOver, uniqueId } from "./playground.mjs";

const SVG = "http://www.w3.org/2000/svg";
const DEFAULTS = { learning_rate: 2, seed: 0, epochs: 20 };

export function mount(element, runtime) {
  return new DeadUnitsDemo(element, runtime);
}

class DeadUnitsDemo {
  constructor(element, runtime) {
    this.element = element;
    this.runtime = runtime;
    this.id = uniqueId("deadunits");
    this.gone = false;
    this.running = false;
    this.runs = null; // {activation: DeadUnitsRun as a dict}
    this.generation = 0; // of the latest Run: an older run that is still queued gives way
    this.queue = Promise.resolve();
    this.restore = takeOver(element);
    this.build();
    const refused = linkedSettings(this.controls);
    this.stopStatus = followStatus(runtime, (text) => this.say(text));
    this.stopPalette = onPaletteChange(() => this.draw());
    this.say(`Press Run: Python starts, then trains the three networks.${refusedNote(refused)}`);
  }

  unmount() {
    leave(this);
  }

  build() {
    const id = (key) => `${this.id}-${key}`;
    const specs = [
      ["learning_rate", { label: "Learning rate", kind: "number", min: 0.001, max: 10, step: "any" }],
      ["seed", { label: "Seed", kind: "number", min: 0, max: 2 ** 32 - 1, step: 1 }],
      ["epochs", { label: "Epochs", kind: "number", min: 1, max: 100, step: 1 }],
    ];
    this.form = make("form", { class: "act-demo-controls", id: id("form"), "aria-label": "Training", novalidate: true }); // run() reports invalid values
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    this.controls = {};
    for (const [key, spec] of specs) {
      const { wrapper, control } = field(id(key), spec);
      control.name = key;
      control.value = String(DEFAULTS[key]);
      this.controls[key] = control;
      this.form.append(wrapper);
    }
    // The form's submit button (outside it, by its id): Enter in a field runs too.
    this.runButton = make("button", { type: "submit", form: this.form.id, class: "act-cell-button act-cell-run", text: "Run" });
    this.stopButton = button("Stop", () => this.stop());
    this.stopButton.disabled = true;
    this.status = make("span", { class: "act-demo-status", role: "status" });
    const bar = make("div", { class: "act-demo-bar" }, this.runButton, this.stopButton, this.status);
    this.deadChart = document.createElementNS(SVG, "svg");
    this.silentChart = document.createElementNS(SVG, "svg");
    this.deadLegend = make("div");
    this.silentLegend = make("div");
    const figures = make(
      "div",
      { class: "act-demo-views" },
      make("figure", { class: "act-demo-figure" }, this.deadChart, this.deadLegend, make("figcaption", { text: "Dead: the unit's slope f′(z) is exactly 0 on every training point, so no gradient reaches it." })),
      make("figure", { class: "act-demo-figure" }, this.silentChart, this.silentLegend, make("figcaption", { text: "Silent: the unit's input z is ≤ 0 on every training point (it never fires)." })),
    );
    this.table = make("table");
    this.root = make("div", { class: "act-demo act-dead" }, this.form, bar, figures, make("div", { class: "act-demo-scroll", tabindex: "0", role: "region", "aria-label": "Dead and silent units after the last epoch" }, this.table));
    this.element.append(this.root);
  }

  say(text, alert = false) {
    this.status.textContent = text;
    this.status.setAttribute("role", alert ? "alert" : "status");
  }

  settings() {
    return {
      learning_rate: Number(this.controls.learning_rate.value),
      seed: Number(this.controls.seed.value),
      epochs: Number(this.controls.epochs.value),
    };
  }

  run() {
    const invalid = Object.values(this.controls).filter((control) => !control.checkValidity());
    for (const control of Object.values(this.controls)) control.toggleAttribute("aria-invalid", invalid.includes(control));
    if (invalid.length) {
      this.say(`Not run: ${invalid.map((c) => `${c.labels[0].textContent}: ${c.validationMessage}`).join(" ")}`);
      return;
    }
    this.running = false; // a run in progress ends after its current epoch
    const generation = ++this.generation;
    const settings = this.settings();
    linkSettings(settings, DEFAULTS);
    this.queue = this.queue.then(() => this.train(settings, generation)).catch((error) => {
      this.running = false;
      this.buttons();
      this.say(`Python failed: ${error.message}`, true);
    });
  }

  stop() {
    this.running = false;
    this.buttons();
  }

  buttons() {
    this.stopButton.disabled = !this.running;
    this.element.dataset.actRunning = String(this.running);
  }

  // Start the three experiments, then one epoch of each per call until `epochs`.
  async train({ learning_rate, seed, epochs }, generation) {
    if (this.gone || generation !== this.generation) return;
    this.running = true;
    this.buttons();
    this.say("Training…");
    const start = `${DEMOS}from activations.lab import dead_units as _du
_act_demos[${py(this.id)}] = {
    _name: _du.DeadUnits(_name, learning_rate=${py(learning_rate)}, seed=${py(seed)})
    for _name in _du.DEFAULT_ACTIVATIONS
}
{_name: _run.result().as_dict() for _name, _run in _act_demos[${py(this.id)}].items()}`;
    this.runs = await this.runtime.call(start);
    this.draw();
    const next = `${DEMOS}_runs = _act_demos.get(${py(this.id)})
None if _runs is None else {_name: _run.epoch().as_dict() for _name, _run in _runs.items()}`;
    while (this.running && !this.gone && generation === this.generation && this.epochs() < epochs) {
      const reply = await this.runtime.call(next);
      if (reply === null || reply === undefined) {
        this.say("Python restarted, which lost the run: press Run to start again.");
        this.running = false;
        break;
      }
      this.runs = reply;
      this.draw();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const finished = this.epochs() >= epochs;
    this.running = false;
    this.buttons();
    if (!this.gone) this.say(finished ? `Done: ${this.epochs()} epochs at learning rate ${learning_rate}. ${this.summary()}` : `Stopped at epoch ${this.epochs()}. ${this.summary()}`);
  }

  epochs() {
    return this.runs ? Object.values(this.runs)[0].dead_fraction.length - 1 : 0;
  }

  summary() {
    return Object.entries(this.runs)
      .map(([name, run]) => `${name.replaceAll("_", " ")}: ${percent(run.dead_fraction.at(-1))} dead`)
      .join(", ") + ".";
  }

  draw() {
    if (!this.runs) return;
    const style = getComputedStyle(this.element);
    const entries = Object.entries(this.runs);
    const series = (key) =>
      entries.map(([name, run], index) => ({
        label: name.replaceAll("_", " "),
        values: run[key],
        color: style.getPropertyValue(`--act-series-${index + 1}`).trim() || "currentColor",
        dash: [null, "6 4", "2 3"][index], // solid, dashed, dotted: lines on top of each other stay apart
      }));
    const dead = series("dead_fraction");
    const silent = series("silent_fraction");
    const describe = (key) => entries.map(([name, run]) => `${name} ${percent(run[key].at(-1))}`).join(", ");
    lineChart(this.deadChart, { title: `Share of dead units by epoch; now ${describe("dead_fraction")}`, series: dead, xLabel: "epoch", yLabel: "share of hidden units", yMin: 0, yMax: 1 });
    lineChart(this.silentChart, { title: `Share of silent units by epoch; now ${describe("silent_fraction")}`, series: silent, xLabel: "epoch", yLabel: "share of hidden units", yMin: 0, yMax: 1 });
    this.deadLegend.replaceChildren(legend(dead));
    this.silentLegend.replaceChildren(legend(silent));
    this.element.dataset.actEpoch = String(this.epochs());
    const head = ["activation", "dead", "silent", "training loss", "training accuracy"];
    this.table.replaceChildren(
      make("caption", { text: `After epoch ${this.epochs()}` }),
      make("thead", {}, make("tr", {}, ...head.map((text) => make("th", { scope: "col", text })))),
      make(
        "tbody",
        {},
        ...entries.map(([name, run]) =>
          make(
            "tr",
            { "data-act-activation": name },
            make("th", { scope: "row", text: name.replaceAll("_", " ") }),
            make("td", { text: percent(run.dead_fraction.at(-1)) }),
            make("td", { text: percent(run.silent_fraction.at(-1)) }),
            make("td", { text: format(run.train_loss.at(-1)) }),
            make("td", { text: format(run.train_accuracy.at(-1)) }),
          ),
        ),
      ),
    );
  }
}

// A share as a percentage (the rounding is display only: the value is Python's).
function percent(share) {
  return Number.isFinite(share) ? `${Math.round(share * 100)} %` : "—";
}
