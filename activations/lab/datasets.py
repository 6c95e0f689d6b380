"""Two-dimensional toy datasets for binary classification, as in TensorFlow Playground.

Each dataset is a cloud of points in the plane with a label 0 or 1, drawn from a seeded
:class:`numpy.random.Generator`, so the same arguments always give the same points (a
shared link reproduces a run). The five shapes ask different things of a network:

* ``"gauss"`` – two Gaussian blobs: separable by a straight line, so even a network with
  no hidden layer learns it. The baseline.
* ``"xor"`` – the four quadrants, label 1 where ``x·y > 0``: the classic problem a single
  neuron cannot solve (Minsky and Papert, 1969); one hidden layer of two or more units can.
* ``"circle"`` – a disc (label 1) inside a ring (label 0): the boundary is closed, so it
  needs at least three hidden units bending the plane.
* ``"moons"`` – two interleaving half circles (scikit-learn's ``make_moons``): curved,
  but each class is connected.
* ``"spiral"`` – two interleaved spirals of 1.75 turns: hard; it needs depth or many units
  and a good activation, and shows the differences between activations best.

Coordinates are on a common scale: without noise every point lies in the square
``[-1, 1]²`` (:data:`EXTENT` is a little larger and is the region the decision map
covers). No further normalisation is needed before training.

``noise`` is the standard deviation of a Gaussian jitter added to every coordinate after
the label is chosen, in the same units: 0 is the clean shape, 0.1 a moderately noisy one,
0.3 a hard one. Labels are never flipped; near a boundary the jitter moves points to
the other side, which is what makes a noisy set hard to fit without overfitting.

The split into training and test points is random too (``train_fraction`` of the points
train the network, the rest measure how well it generalises), drawn from the same
generator, so it is part of what the seed fixes.

>>> data = make("xor", n=200, noise=0.05, seed=1)
>>> data.x_train.shape, data.y_train.shape, data.x_test.shape
((100, 2), (100,), (100, 2))
>>> sorted(set(data.y_train.tolist()))
[0, 1]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DATASETS",
    "EXTENT",
    "Dataset",
    "circle",
    "gauss",
    "make",
    "moons",
    "spiral",
    "xor",
]

F64 = NDArray[np.float64]
Labels = NDArray[np.int64]
Generator = Callable[[int, np.random.Generator], tuple[F64, Labels]]

#: Half the side of the square ``[-EXTENT, EXTENT]²`` that holds the clean shapes with a
#: margin: the default region of a decision map.
EXTENT = 1.2


# -- the shapes ---------------------------------------------------------------------------
# Each takes the number of points and a generator and returns clean (noise-free) points
# of shape (n, 2) and their labels of shape (n,). Classes are as balanced as n allows.


def _class_sizes(n: int) -> tuple[int, int]:
    """Points of class 1 and of class 0: half each, class 0 getting the odd one."""
    return n // 2, n - n // 2


def circle(n: int, rng: np.random.Generator) -> tuple[F64, Labels]:
    """A disc of radius 0.5 (label 1) inside a ring from radius 0.7 to 1 (label 0).

    Radii are uniform in each band and angles uniform on the circle, as in the
    Playground, so the disc is denser near its centre than a uniform disc would be.
    """
    n_in, n_out = _class_sizes(n)
    radius = np.concatenate([rng.uniform(0.0, 0.5, n_in), rng.uniform(0.7, 1.0, n_out)])
    angle = rng.uniform(0.0, 2.0 * math.pi, n)
    points = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    labels = np.concatenate([np.ones(n_in, np.int64), np.zeros(n_out, np.int64)])
    return points, labels


def xor(n: int, rng: np.random.Generator) -> tuple[F64, Labels]:
    """Uniform points in the four quadrants; label 1 where ``x·y > 0`` (first and third).

    A margin of 0.05 keeps clean points off the axes (the Playground does the same),
    so without noise the classes are separated by a gap.
    """
    margin = 0.05
    magnitude = rng.uniform(margin, 1.0, (n, 2))
    sign = np.where(rng.uniform(size=(n, 2)) < 0.5, -1.0, 1.0)
    points = magnitude * sign
    labels = (points[:, 0] * points[:, 1] > 0).astype(np.int64)
    return points, labels


def gauss(n: int, rng: np.random.Generator) -> tuple[F64, Labels]:
    """Two round Gaussian blobs of standard deviation 0.15, centred at ``(0.45, 0.45)``
    (label 1) and ``(-0.45, -0.45)`` (label 0): linearly separable unless noise is large."""
    n_one, n_zero = _class_sizes(n)
    centre = np.concatenate([np.full(n_one, 0.45), np.full(n_zero, -0.45)])
    points = centre[:, None] + rng.normal(0.0, 0.15, (n, 2))
    labels = np.concatenate([np.ones(n_one, np.int64), np.zeros(n_zero, np.int64)])
    return points, labels


def spiral(n: int, rng: np.random.Generator) -> tuple[F64, Labels]:
    """Two spirals of 1.75 turns each, the second the first turned by half a turn.

    Along each arm the radius grows from 0 to 1 in proportion to the angle; the
    positions along the arm are drawn uniformly, so no two seeds give the same points.
    """
    n_one, n_zero = _class_sizes(n)
    t = rng.uniform(0.0, 1.0, n)  # position along the arm, 0 (centre) to 1 (tip)
    turn = np.concatenate([np.zeros(n_one), np.full(n_zero, math.pi)])
    angle = 1.75 * 2.0 * math.pi * t + turn
    points = np.stack([t * np.sin(angle), t * np.cos(angle)], axis=1)
    labels = np.concatenate([np.ones(n_one, np.int64), np.zeros(n_zero, np.int64)])
    return points, labels


def moons(n: int, rng: np.random.Generator) -> tuple[F64, Labels]:
    """Two interleaving half circles: scikit-learn's ``make_moons``, moved and scaled
    into ``[-1, 1] × [-0.5, 0.5]``. The lower moon is label 1, the upper label 0
    (scikit-learn's numbering); positions along each arc are uniform."""
    n_one, n_zero = _class_sizes(n)
    theta = rng.uniform(0.0, math.pi, n)
    upper = np.stack([np.cos(theta[n_one:]), np.sin(theta[n_one:])], axis=1)
    lower = np.stack([1.0 - np.cos(theta[:n_one]), 0.5 - np.sin(theta[:n_one])], axis=1)
    # make_moons spans x in [-1, 2] and y in [-0.5, 1]: centre it and scale by 2/3.
    points = (np.concatenate([lower, upper]) - np.array([0.5, 0.25])) * (2.0 / 3.0)
    labels = np.concatenate([np.ones(n_one, np.int64), np.zeros(n_zero, np.int64)])
    return points, labels


#: The dataset names :func:`make` accepts, with their generators, in the Playground's order.
_SHAPES: dict[str, Generator] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "moons": moons,
}
DATASETS: tuple[str, ...] = tuple(_SHAPES)


# -- the dataset ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test points of one 2-D classification problem.

    ``x_*`` have shape ``(n, 2)`` (float64), ``y_*`` shape ``(n,)`` with labels 0 and 1
    (int64). The remaining fields record how the set was made, so that :func:`make`
    with them reproduces it exactly.
    """

    name: str
    x_train: F64
    y_train: Labels
    x_test: F64
    y_test: Labels
    noise: float
    seed: int
    train_fraction: float
    extent: float = EXTENT

    @property
    def n(self) -> int:
        """Number of points, training and test together."""
        return len(self.y_train) + len(self.y_test)

    def as_dict(self) -> dict[str, Any]:
        """Plain Python lists and numbers (for JSON or JavaScript): points as
        ``[[x, y], ...]``, labels as ``[0, 1, ...]``."""
        return {
            "name": self.name,
            "noise": self.noise,
            "seed": self.seed,
            "train_fraction": self.train_fraction,
            "extent": self.extent,
            "x_train": self.x_train.tolist(),
            "y_train": self.y_train.tolist(),
            "x_test": self.x_test.tolist(),
            "y_test": self.y_test.tolist(),
        }


def make(
    name: str,
    n: int = 500,
    *,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed: int = 0,
) -> Dataset:
    """Draw ``n`` points of the dataset ``name`` and split them into training and test.

    Parameters
    ----------
    name
        One of :data:`DATASETS`: ``"circle"``, ``"xor"``, ``"gauss"``, ``"spiral"``,
        ``"moons"``.
    n
        Number of points in all, at least 4 (so each class and each split is non-empty).
    noise
        Standard deviation of the Gaussian jitter added to each coordinate, in ``[0, 1]``.
    train_fraction
        Share of the points used for training, in ``(0, 1)``; the Playground's default
        is one half. At least one point always goes to each side.
    seed
        A non-negative integer. The shape, the jitter and the split all come from
        ``numpy.random.default_rng(seed)``: the same arguments give the same dataset.

    Raises
    ------
    ValueError
        For an unknown name or an argument out of range, saying what is allowed.
    TypeError
        For an argument of the wrong type (``n=2.5``, ``seed="a"``).
    """
    shape = _SHAPES.get(name) if isinstance(name, str) else None
    if shape is None:
        raise ValueError(
            f"unknown dataset {name!r}; the datasets are: {', '.join(map(repr, DATASETS))}"
        )
    n = _integer("n", n, minimum=4)
    seed = _integer("seed", seed, minimum=0)
    noise = _real("noise", noise)
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be a standard deviation in [0, 1]; got {noise!r}")
    train_fraction = _real("train_fraction", train_fraction)
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1); got {train_fraction!r}")

    rng = np.random.default_rng(seed)
    points, labels = shape(n, rng)
    # Always draw the jitter, even for noise 0, so that changing only the noise moves
    # the same points further or nearer instead of drawing a new cloud.
    points = points + noise * rng.standard_normal(points.shape)
    order = rng.permutation(n)
    n_train = min(max(round(train_fraction * n), 1), n - 1)
    train, test = order[:n_train], order[n_train:]
    return Dataset(
        name=name,
        x_train=points[train],
        y_train=labels[train],
        x_test=points[test],
        y_test=labels[test],
        noise=noise,
        seed=seed,
        train_fraction=train_fraction,
    )


def _integer(what: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _real(what: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number; got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite; got {value!r}")
    return number
