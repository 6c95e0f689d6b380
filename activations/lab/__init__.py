"""The lab: small numpy experiments that show what an activation does to learning.

Plots of ``f`` and ``f'`` say what a function looks like; these experiments show what
it does to a network. They run unchanged in CPython and in the browser (Pyodide), need
only numpy, and take every value and every derivative from this package's records,
so the demos on the site compute exactly what the package computes.

* :mod:`~activations.lab.datasets` – seeded 2-D classification sets (circle, XOR,
  Gaussian blobs, spiral, moons) with noise and a train/test split.
* :mod:`~activations.lab.mlp` – a small multi-layer perceptron trained by minibatch SGD,
  whose backpropagation uses the activation's exact ``derivative``; a :class:`Trainer`
  with Playground-style step, epoch and decision map.
* :mod:`~activations.lab.depth` – gradients through depth: per-layer activation
  statistics and gradient norms of a deep, freshly initialised network.
* :mod:`~activations.lab.dead_units` – how many ReLU units die under a too-large
  learning rate, against leaky ReLU and GELU.
* :mod:`~activations.lab.curves` – f and f′ sampled for the site's explorers.

Everything random is seeded, so the same arguments reproduce a run exactly.

>>> from activations import lab
>>> data = lab.datasets.make("xor", seed=0)
>>> trainer = lab.Trainer(data, hidden=(8, 8), activation="tanh", learning_rate=0.3)
>>> metrics = trainer.run(2)
>>> metrics.epoch
2
"""

from . import curves, datasets, dead_units, depth, mlp
from .datasets import DATASETS, Dataset
from .mlp import ELEMENTWISE, INITS, MLP, DecisionGrid, Gradients, Metrics, Trainer

__all__ = [
    "DATASETS",
    "ELEMENTWISE",
    "INITS",
    "MLP",
    "Dataset",
    "DecisionGrid",
    "Gradients",
    "Metrics",
    "Trainer",
    "curves",
    "datasets",
    "dead_units",
    "depth",
    "mlp",
]
