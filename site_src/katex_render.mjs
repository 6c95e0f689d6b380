// Render every formula of the site in one call, at build time.
//
// stdin:  {"formulas": [{"tex": "f(x) = x", "display": true}, ...]}
// stdout: {"html": ["<span class=\"katex\">...", ...], "errors": [[index, "message"], ...]}
//
// Called once per build by site_src/hooks.py (site_src/mathrender.py). A formula KaTeX
// cannot parse is reported by its index, never replaced by an error box: the build fails
// and names the page and the LaTeX.
import katex from "katex";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const html = [];
const errors = [];
request.formulas.forEach(({ tex, display }, index) => {
  try {
    html.push(
      katex.renderToString(tex, {
        displayMode: Boolean(display),
        output: "htmlAndMathml", // MathML for screen readers, HTML for the eye
        throwOnError: true,
        strict: "error",
        trust: false,
      }),
    );
  } catch (error) {
    html.push("");
    errors.push([index, String(error.message ?? error)]);
  }
});
process.stdout.write(JSON.stringify({ html, errors }));
