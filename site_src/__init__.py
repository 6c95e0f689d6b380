"""The machinery of the activations site: MkDocs hooks and the helpers they call.

``hooks.py`` is the only file MkDocs loads (``hooks:`` in mkdocs.yml); it holds the small
``on_*`` functions, each delegating to one helper module here:

* :mod:`site_src.catalogue` turns the package's records into what the pages show;
* :mod:`site_src.pages` generates a page per activation from ``templates/activation.md.j2``
  and the hand-written prose in ``docs/prose/``;
* :mod:`site_src.shortcodes` expands the ``<!-- act:... -->`` markers of hand-written pages;
* :mod:`site_src.mathrender` renders every formula with KaTeX in one node call per build;
* :mod:`site_src.plots` draws the plots with matplotlib as inline SVG;
* :mod:`site_src.accuracy` reads the accuracy report (``docs/data/accuracy.json``).
"""
