// A short-lived helper of the Python worker: decodes one zstd-compressed part of the
// site's Python image (image.mjs, readShippedImage), then is ended. Browsers decode only
// gzip and deflate themselves (DecompressionStream); zstd makes the image 30 % smaller
// (site_src/pyodide_dist.py). The decoder, zstd's own in WebAssembly (npm zstddec),
// holds the compressed and the decoded bytes in its memory at once, about 75 MB for
// Python's memory, and a WebAssembly memory never shrinks: ending this worker frees it,
// which the Python worker could not do for its own.
//
// One request: {bytes: ArrayBuffer (transferred), size: the decoded size in bytes}.
// One reply: {bytes: the decoded ArrayBuffer (transferred)} or {error: what went wrong}.
// zstddec leaves zstd's error codes unchecked: a damaged or cut input decodes to fewer
// bytes, which image.mjs refuses (wholeImage checks every part's size).

import { ZSTDDecoder } from "zstddec";

self.addEventListener(
  "message",
  async ({ data: { bytes, size } }) => {
    try {
      const decoder = new ZSTDDecoder();
      await decoder.init();
      const decoded = decoder.decode(new Uint8Array(bytes), size);
      self.postMessage({ bytes: decoded.buffer }, [decoded.buffer]);
    } catch (error) {
      self.postMessage({ error: String(error?.message ?? error) });
    }
  },
  { once: true },
);
