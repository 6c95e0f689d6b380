"""Dead units: ReLU units that stop learning for good when the learning rate is too large.

A ReLU unit whose pre-activation ``z = h·w + b`` is negative for every training input
outputs 0 everywhere and, because ReLU's derivative is exactly 0 there, receives a zero
gradient: no later step changes its incoming weights. It is *dead*. In the first hidden
layer, whose inputs are the fixed data, that is for good; a unit deeper in the network
can only be revived by the layers below it changing what it sees. A large learning rate
makes deaths likely: one big step can push a unit's bias far negative (or turn its
weights away from all the data).

The cure is a non-zero slope on the negative side. Leaky ReLU (slope 0.01 by default),
ELU or GELU still pass some gradient through a silent unit, which can then recover.
This module trains the same network with the same seed and the same too-large learning
rate for each activation and, after every epoch, counts over all hidden units:

* ``silent_fraction`` – units whose pre-activation is ``≤ 0`` on every training point:
  they never fire. The criterion is the same for every activation.
* ``dead_fraction`` – units whose slope ``f'(z)``, from the record's ``derivative``, is
  exactly 0 on every training point: no gradient reaches them, so they can never learn
  again. For ReLU every silent unit is dead (the two fractions are equal); for leaky
  ReLU none is; GELU's slope ``Φ(z) + zφ(z)`` is only exactly 0 where it underflows
  (``z`` below about -38), which a far too large step can still reach.

What the runs show (:func:`compare` with its defaults: spiral, three layers of 16, He
init, learning rate 2, batches of 25, 20 epochs; seeds 0 to 3): 38-69 % of the ReLU
units end dead. Leaky ReLU (17-52 %) and GELU (29-38 %) end with as many *silent*
units, but not one dead. The large step silences units whatever the activation; only
ReLU makes it final. (None of the three learns the spiral at that rate: training
accuracy 0.47-0.59. The point is what the step does to the units.)

>>> runs = compare(("relu", "leaky_relu"), epochs=3)
>>> sorted(runs)
['leaky_relu', 'relu']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import datasets as _datasets
from .mlp import MLP, Metrics, Trainer

__all__ = [
    "DEFAULT_ACTIVATIONS",
    "DeadUnits",
    "DeadUnitsRun",
    "compare",
    "dead_fraction",
    "dead_units",
    "silent_fraction",
    "silent_units",
    "track",
]

#: The activations the demo compares by default: the rectifier, its leaky fix, and a
#: smooth gate.
DEFAULT_ACTIVATIONS = ("relu", "leaky_relu", "gelu")


def _flags(model: MLP, x: ArrayLike) -> tuple[list[NDArray[np.bool_]], list[NDArray[np.bool_]]]:
    """Silent and dead flags per hidden layer, from one forward pass."""
    cache = model._forward(model._inputs(x), None)
    f = model.activation
    silent = [~np.any(z > 0, axis=0) for z in cache.pre]
    dead = [
        np.all(f.derivative(z, **model.layer_params(layer, None)) == 0, axis=0)
        for layer, z in enumerate(cache.pre)
    ]
    return silent, dead


def silent_units(model: MLP, x: ArrayLike) -> list[NDArray[np.bool_]]:
    """For each hidden layer, one flag per unit: True where the pre-activation is
    ``≤ 0`` (or NaN) for every row of ``x``, i.e. the unit never fires on these inputs."""
    cache = model._forward(model._inputs(x), None)
    return [~np.any(z > 0, axis=0) for z in cache.pre]


def dead_units(model: MLP, x: ArrayLike) -> list[NDArray[np.bool_]]:
    """For each hidden layer, one flag per unit: True where the activation's derivative
    ``f'(z)`` (the record's ``derivative``) is exactly 0 for every row of ``x``: no
    gradient reaches the unit's incoming weights, whatever the loss."""
    return _flags(model, x)[1]


def _share(flags: list[NDArray[np.bool_]]) -> float:
    every = np.concatenate(flags) if flags else np.zeros(0, dtype=bool)
    return float(np.mean(every)) if every.size else 0.0


def silent_fraction(model: MLP, x: ArrayLike) -> float:
    """Share of all hidden units that never fire on the rows of ``x``."""
    return _share(silent_units(model, x))


def dead_fraction(model: MLP, x: ArrayLike) -> float:
    """Share of all hidden units that get no gradient on any row of ``x``."""
    return _share(dead_units(model, x))


@dataclass(frozen=True)
class DeadUnitsRun:
    """One training run, per epoch (index 0 is before training): the dead and silent
    fractions, the same per hidden layer (``*_by_layer[epoch][layer]``), and the
    training loss and accuracy; plus the settings that reproduce it."""

    activation: str
    params: Mapping[str, Any]
    learning_rate: float
    hidden: tuple[int, ...]
    dataset: str
    seed: int
    dead_fraction: tuple[float, ...]
    silent_fraction: tuple[float, ...]
    dead_by_layer: tuple[tuple[float, ...], ...]
    silent_by_layer: tuple[tuple[float, ...], ...]
    train_loss: tuple[float, ...]
    train_accuracy: tuple[float, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values (for JSON or JavaScript)."""
        return {
            "activation": self.activation,
            "params": dict(self.params),
            "learning_rate": self.learning_rate,
            "hidden": list(self.hidden),
            "dataset": self.dataset,
            "seed": self.seed,
            "dead_fraction": list(self.dead_fraction),
            "silent_fraction": list(self.silent_fraction),
            "dead_by_layer": [list(row) for row in self.dead_by_layer],
            "silent_by_layer": [list(row) for row in self.silent_by_layer],
            "train_loss": list(self.train_loss),
            "train_accuracy": list(self.train_accuracy),
        }


class DeadUnits:
    """The experiment one epoch at a time, so that a page can draw as it goes.

    Construct it with the settings of :func:`track`; :meth:`epoch` trains one more
    epoch and measures; :meth:`result` gives everything so far as a
    :class:`DeadUnitsRun`. The measurement before training is taken at construction.
    """

    def __init__(
        self,
        activation: str = "relu",
        params: Mapping[str, Any] | None = None,
        *,
        learning_rate: float = 2.0,
        hidden: Sequence[int] = (16, 16, 16),
        dataset: str = "spiral",
        n: int = 500,
        noise: float = 0.0,
        batch_size: int = 25,
        init: str = "he",
        seed: int = 0,
    ) -> None:
        self.data = _datasets.make(dataset, n, noise=noise, seed=seed)
        self.trainer = Trainer(
            self.data,
            hidden,
            activation,
            params,
            init=init,
            learning_rate=learning_rate,
            batch_size=batch_size,
            seed=seed,
        )
        self._dead: list[tuple[float, ...]] = []
        self._silent: list[tuple[float, ...]] = []
        self._metrics: list[Metrics] = []
        self._measure(self.trainer.evaluate())

    def _measure(self, metrics: Metrics) -> None:
        silent, dead = _flags(self.trainer.model, self.data.x_train)
        self._dead.append(tuple(float(np.mean(f)) for f in dead))
        self._silent.append(tuple(float(np.mean(f)) for f in silent))
        self._metrics.append(metrics)

    def epoch(self) -> DeadUnitsRun:
        """Train one more epoch, measure, and return the run so far."""
        self._measure(self.trainer.run(1))
        return self.result()

    def result(self) -> DeadUnitsRun:
        """Everything measured so far."""
        sizes = np.array(self.trainer.hidden, dtype=np.float64)

        def overall(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
            # Weighted by layer width: the share of all hidden units.
            return tuple(float(np.dot(row, sizes) / sizes.sum()) if row else 0.0 for row in rows)

        model = self.trainer.model
        return DeadUnitsRun(
            activation=model.activation.name,
            params=dict(model.params),
            learning_rate=self.trainer.learning_rate,
            hidden=tuple(self.trainer.hidden),
            dataset=self.data.name,
            seed=self.trainer.seed,
            dead_fraction=overall(self._dead),
            silent_fraction=overall(self._silent),
            dead_by_layer=tuple(self._dead),
            silent_by_layer=tuple(self._silent),
            train_loss=tuple(m.train_loss for m in self._metrics),
            train_accuracy=tuple(m.train_accuracy for m in self._metrics),
        )


def track(
    activation: str = "relu",
    params: Mapping[str, Any] | None = None,
    *,
    epochs: int = 20,
    **settings: Any,
) -> DeadUnitsRun:
    """Train for ``epochs`` epochs with a (by default deliberately too large) learning
    rate and count dead and silent units on the training points after each.

    ``settings`` are those of :class:`DeadUnits`: ``learning_rate`` (2.0), ``hidden``
    ((16, 16, 16)), ``dataset`` ("spiral"), ``n`` (500), ``noise`` (0), ``batch_size``
    (25), ``init`` ("he": the right one for ReLU, so the deaths are the learning rate's
    fault) and ``seed`` (0).
    """
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
    experiment = DeadUnits(activation, params, **settings)
    for _ in range(int(epochs)):
        experiment.epoch()
    return experiment.result()


def compare(
    names: Iterable[str] = DEFAULT_ACTIVATIONS, *, epochs: int = 20, **settings: Any
) -> dict[str, DeadUnitsRun]:
    """:func:`track` for each activation (by name, default parameters) with the same
    settings and seed, so that only the activation differs; keyed by the name given."""
    return {name: track(name, epochs=epochs, **settings) for name in names}
