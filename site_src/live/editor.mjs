// The code editor of a cell: CodeMirror 6 with Python, in the site's colours.
//
// cells.mjs imports this module only on pages that have cells, so CodeMirror (most of
// the live-cell JavaScript) is never loaded elsewhere. Colours are Material's CSS
// variables, so the editor follows the light and the dark palette like the page's own
// code blocks. Shift+Enter and Ctrl/Cmd+Enter run the cell: basicSetup binds Shift+Enter
// itself, hence Prec.highest. Tab indents; Esc then Tab moves the focus out of the
// editor (CodeMirror's tab-focus escape), which the cell's hint tells the reader.

import { basicSetup, EditorView } from "codemirror";
import { python } from "@codemirror/lang-python";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const theme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.85em",
  },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)", outlineOffset: "1px" },
  // Material's code-block metrics: the editor replaces the highlighted code without
  // moving what follows it.
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.4" },
  ".cm-content": { padding: "0.7720588235em 0", caretColor: "var(--md-code-fg-color)" },
  ".cm-line": { padding: "0 1.1764705882em 0 0.4em" },
  ".cm-gutters": {
    color: "var(--md-code-hl-comment-color)",
    backgroundColor: "var(--md-code-bg-color)",
    border: "none",
  },
  // The line with the cursor is marked in the gutter only: a tinted line would take the
  // token colours below 4.5:1 contrast.
  ".cm-activeLine": { backgroundColor: "transparent" },
  ".cm-activeLineGutter": { backgroundColor: "var(--md-code-hl-color--light)" },
  ".cm-cursor": { borderLeftColor: "var(--md-code-fg-color)" },
});

// The token colours of Material's code blocks (site.css adjusts them for contrast).
const colours = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--md-code-hl-keyword-color)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--md-code-hl-string-color)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--md-code-hl-number-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--md-code-hl-function-color)" },
  { tag: [tags.definition(tags.variableName), tags.className], color: "var(--md-code-hl-name-color)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--md-code-hl-operator-color)" },
  { tag: tags.self, color: "var(--md-code-hl-constant-color)" },
]);

// An editor in `parent` holding `doc`. contentAttributes: aria-label and friends of the
// editable element. onRun: called by the run keys. onChange: called after every change
// of the code (typing, undo, setCode), to save the reader's edit.
export function createEditor({ parent, doc, onRun, onChange, contentAttributes }) {
  const run = () => {
    onRun();
    return true;
  };
  return new EditorView({
    doc,
    parent,
    extensions: [
      Prec.highest(keymap.of([
        { key: "Shift-Enter", run },
        { key: "Mod-Enter", run },
        { key: "Ctrl-Enter", run },
      ])),
      basicSetup,
      keymap.of([indentWithTab]),
      python(),
      theme,
      syntaxHighlighting(colours),
      // The editable element is focusable anyway; tabindex says so to tools (axe-core
      // counts it as the focusable content of the scroller, which scrolls sideways on
      // long lines) without adding a stop to the Tab order.
      EditorView.contentAttributes.of({ ...contentAttributes, tabindex: "0" }),
      EditorView.updateListener.of((update) => update.docChanged && onChange()),
    ],
  });
}

// The editor's code.
export function code(view) {
  return view.state.doc.toString();
}

// Replace the editor's code (Reset, a new version). One transaction: Ctrl+Z undoes it.
export function setCode(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
