"""The browser side of the live cells, and the Python they share with the build.

``kernel.py`` runs a cell's code (in CPython at build time, in Pyodide in the browser);
``worker.mjs``, ``runtime.mjs``, ``cells.mjs`` and ``editor.mjs`` are bundled by esbuild
when the site is built (see :mod:`site_src.livecells`).
"""
