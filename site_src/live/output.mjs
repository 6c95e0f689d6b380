// The output region of a cell: what the kernel's messages look like on the page.
//
// It writes the same markup as the build (site_src/livecells.py, output_html), so a
// cell looks the same before and after it is run. Everything the reader's code produces
// enters the page as text (textContent), never as HTML: printing "<img src=x
// onerror=alert(1)>" shows those characters. The one exception is a figure, which is SVG
// that the kernel drew; it is parsed as XML and kept only if it is made of drawing
// elements (no script, foreignObject, event handlers, links, styles or outside URLs).

const SVG = "http://www.w3.org/2000/svg";

// The drawing vocabulary of matplotlib's SVG backend, and nothing that runs or loads.
const SVG_ELEMENTS = new Set([
  "svg", "g", "defs", "path", "use", "clipPath", "mask", "pattern", "marker", "symbol",
  "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "image",
  "title", "desc", "linearGradient", "radialGradient", "stop",
]);
const EMBEDDED_IMAGE = /^data:image\/(png|jpeg);base64,[a-z0-9+/=\s]*$/i;

export class OutputView {
  // Empties `element` and shows the messages of one run in it, as they arrive.
  constructor(element) {
    this.element = element;
    this.stream = null; // {name, code}: consecutive pieces of a stream join
    element.replaceChildren();
    element.dataset.actOutput = "live";
  }

  add(message) {
    if (message.type === "stream") {
      if (this.stream?.name !== message.name) {
        this.stream = { name: message.name, code: this.#block(`act-cell-${message.name}`) };
      }
      this.stream.code.append(message.text);
      return;
    }
    this.stream = null;
    if (message.type === "result") {
      this.#block("act-cell-result").textContent = message.text;
    } else if (message.type === "error") {
      this.#block("act-cell-error").textContent = message.traceback;
    } else if (message.type === "display") {
      const figure = document.createElement("figure");
      figure.className = "act-cell-figure";
      figure.append(safeSVG(message.svg));
      this.element.append(figure);
    } else {
      throw new Error(`unknown output message ${message.type}`);
    }
  }

  // A note from the page rather than from Python (e.g. "Stopped").
  note(text) {
    this.stream = null;
    const note = document.createElement("p");
    note.className = "act-cell-note";
    note.textContent = text;
    this.element.append(note);
  }

  #block(className) {
    const pre = document.createElement("pre");
    pre.className = className;
    const code = document.createElement("code");
    pre.append(code);
    this.element.append(pre);
    return code;
  }
}

// An SVG element made from `text`, reduced to drawing elements and safe attributes.
export function safeSVG(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.namespaceURI !== SVG || root.localName !== "svg" || parsed.querySelector("parsererror")) {
    throw new Error("the figure is not valid SVG");
  }
  clean(root);
  return document.importNode(root, true);
}

function clean(element) {
  for (const child of [...element.children]) {
    if (child.namespaceURI === SVG && SVG_ELEMENTS.has(child.localName)) clean(child);
    else child.remove();
  }
  for (const { name, value } of [...element.attributes]) {
    if (!safeAttribute(name.toLowerCase(), value.trim())) element.removeAttribute(name);
  }
}

function safeAttribute(name, value) {
  if (name.startsWith("on")) return false;
  if (name === "href" || name.endsWith(":href")) return value.startsWith("#") || EMBEDDED_IMAGE.test(value);
  // url(...) may only point inside the figure (clip paths); nothing may run script.
  if (/url\s*\(\s*['"]?(?!#)/i.test(value) || /javascript:|@import|expression\s*\(/i.test(value)) return false;
  return true;
}
