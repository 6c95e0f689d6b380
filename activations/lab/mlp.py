r"""A small multi-layer perceptron in numpy whose every nonlinearity is this package's.

The network classifies points into two classes. Layer ``l`` computes

.. math::

    z_l = h_{l-1} W_l + b_l, \qquad h_l = f(z_l),

with ``h_0 = x`` (the input rows) and ``f`` the chosen activation; the last layer has a
single unit and no activation: its output ``z`` is a *logit*, turned into the
probability of class 1 by the sigmoid, ``p = σ(z)``.

**Loss.** Binary cross-entropy, ``-y log p - (1 - y) log(1 - p)``, averaged over the
batch. Computed naively it returns ``inf`` as soon as ``p`` rounds to 0 or 1. Since
``1 - σ(z) = σ(-z)``, it equals ``-log σ(s z)`` with ``s = +1`` for label 1 and ``s = -1``
for label 0, and ``log σ`` is :data:`activations.log_sigmoid`, which never overflows: the
loss stays finite and exact for any logit.

**Backpropagation.** The derivative of that loss with respect to the logit is simply
``σ(z) - y`` (the reason sigmoid and cross-entropy are paired). Going back through a
layer multiplies by the transposed weights and then, elementwise, by ``f'(z_l)``, which
comes from the activation record's :meth:`~activations.Activation.derivative` (the
package's exact derivative, with its documented value at kinks), never from a formula
written here:

.. math::

    \delta_l = \frac{\partial L}{\partial z_l} = (\delta_{l+1} W_{l+1}^\top) \odot f'(z_l),
    \qquad \frac{\partial L}{\partial W_l} = h_{l-1}^\top \delta_l,
    \qquad \frac{\partial L}{\partial b_l} = \textstyle\sum_{\text{rows}} \delta_l.

The test-suite checks these gradients against central finite differences of the loss.

**Initialisation.** Weights are drawn from a normal distribution with mean 0 and a
variance chosen from the layer's fan-in (inputs per unit) and fan-out; biases start at 0.
The variance decides whether the signal keeps its size from layer to layer (see
:mod:`activations.lab.depth`):

* ``"he"`` (Kaiming; He et al., 2015): ``2 / fan_in``. ReLU zeroes half its inputs and so
  halves the second moment; the factor 2 gives it back.
* ``"lecun"`` (LeCun et al., 1998): ``1 / fan_in``. Keeps the variance of ``z`` equal to
  that of ``h`` for a unit-slope function; SELU's self-normalisation assumes it.
* ``"xavier"`` or ``"glorot"`` (Glorot and Bengio, 2010): ``2 / (fan_in + fan_out)``, a
  compromise between keeping activations (forward) and gradients (backward) steady. The
  default here, as in Keras.
* ``"normal"``: a fixed standard deviation ``std`` whatever the layer size, the naive
  choice: too small and the signal vanishes with depth, too large and it explodes.

**Randomness.** Everything random comes from numpy Generators seeded by the ``seed``
argument: the same seed gives the same weights and the same training run. Activations
with a random parameter (RReLU with ``training=True``, which draws a negative slope per
element) get a generator from the network: draw number ``k`` (the trainer's step) of layer
``l`` uses ``numpy.random.default_rng([seed, 1, k, l])`` for both the value and the
derivative, so backpropagation sees the slopes the forward pass used. Evaluation uses the
deterministic mode (``training=False``: RReLU's mean slope).

>>> net = MLP((2, 8, 8, 1), "tanh", seed=0)
>>> x = np.array([[0.5, -0.5], [0.1, 0.9]]); y = np.array([1, 0])
>>> grads = net.gradients(x, y)
>>> [g.shape for g in grads.weights]
[(2, 8), (8, 8), (8, 1)]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

import activations
from activations import Activation, VectorActivation

from . import datasets as _datasets

__all__ = [
    "ELEMENTWISE",
    "INITS",
    "MLP",
    "DecisionGrid",
    "Gradients",
    "Metrics",
    "Trainer",
    "elementwise",
    "init_std",
]

F64 = NDArray[np.float64]

#: Names of the activations a hidden layer can use: every elementwise one, in the
#: package's teaching order. The vector-valued ones (softmax, GLU, ...) map a whole
#: layer to another and have no per-unit derivative, so they are left out.
ELEMENTWISE: tuple[str, ...] = tuple(
    name for name in activations.names() if not isinstance(activations.get(name), VectorActivation)
)

#: Initialisation schemes accepted by :class:`MLP` (``"glorot"`` is ``"xavier"``).
INITS: tuple[str, ...] = ("he", "lecun", "xavier", "glorot", "normal")


def elementwise(activation: str | Activation) -> Activation:
    """The record of an elementwise activation, by any of its names.

    Raises :class:`activations.UnknownActivationError` (a ``KeyError``, suggesting close
    names) for an unknown name and :class:`ValueError` for a vector-valued activation.
    """
    record = activations.get(activation)
    if isinstance(record, VectorActivation):
        raise ValueError(  # noqa: TRY004 (a valid activation, just not an elementwise one)
            f"{record.name} is vector-valued (it maps a whole vector along an axis, and its"
            " derivative is a Jacobian), so it cannot be the activation of a hidden unit;"
            " choose an elementwise one, e.g. relu, tanh, gelu (activations.lab.ELEMENTWISE"
            " lists all)"
        )
    return record


def init_std(init: str, fan_in: int, fan_out: int, std: float = 1.0) -> float:
    """Standard deviation of the initial weights of a layer with ``fan_in`` inputs and
    ``fan_out`` units under scheme ``init`` (one of :data:`INITS`; ``std`` is used by
    ``"normal"`` only).

    >>> init_std("he", 50, 10) == math.sqrt(2 / 50)
    True
    """
    if init == "he":
        return math.sqrt(2.0 / fan_in)
    if init == "lecun":
        return math.sqrt(1.0 / fan_in)
    if init in ("xavier", "glorot"):
        return math.sqrt(2.0 / (fan_in + fan_out))
    if init == "normal":
        return std
    raise ValueError(f"unknown init {init!r}; the schemes are: {', '.join(map(repr, INITS))}")


@dataclass(frozen=True, eq=False)
class Gradients:
    """Derivatives of the loss with respect to each weight matrix and bias vector, in
    the shapes of :attr:`MLP.weights` and :attr:`MLP.biases`."""

    weights: list[F64]
    biases: list[F64]

    def flat(self) -> F64:
        """All of them in one vector, layer by layer, each weight matrix then its bias."""
        parts = [a.ravel() for pair in zip(self.weights, self.biases) for a in pair]
        return np.concatenate(parts)


@dataclass(frozen=True, eq=False)
class _Cache:
    """What the forward pass keeps for the backward pass."""

    inputs: list[F64]  # h_{l-1}: the input of each layer
    pre: list[F64]  # z_l of each hidden layer
    logits: F64  # z of the output unit, shape (n,)
    draw: int | None


class MLP:
    """A fully connected network for two classes: ``sizes[0]`` inputs, hidden layers of
    ``sizes[1:-1]`` units with activation ``activation`` (any name in
    :data:`ELEMENTWISE`, with ``params`` passed to it), and one output unit (a logit,
    whose sigmoid is the probability of class 1).

    Parameters
    ----------
    sizes
        Layer widths from input to output, e.g. ``(2, 8, 8, 1)``; the last must be 1.
        ``(2, 1)`` is logistic regression (no hidden layer).
    activation
        Name (or record) of an elementwise activation.
    params
        Parameters of the activation, e.g. ``{"negative_slope": 0.1}`` for leaky ReLU;
        checked at once by the record. Generator parameters (``rng``) are supplied by the
        network and may not be given.
    init, std
        Weight initialisation (one of :data:`INITS`; see the module docstring) and the
        standard deviation used by ``init="normal"``.
    seed
        Non-negative integer seeding the weights and any random draws.

    The weights are plain arrays, :attr:`weights` (``W_l`` of shape
    ``(fan_in, fan_out)``) and :attr:`biases`; :meth:`sgd_step` updates them in place.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "tanh",
        params: Mapping[str, Any] | None = None,
        *,
        init: str = "xavier",
        std: float = 1.0,
        seed: int = 0,
    ) -> None:
        self.sizes: tuple[int, ...] = _check_sizes(sizes)
        self.activation: Activation = elementwise(activation)
        self.params: dict[str, Any] = _check_params(self.activation, params)
        if not isinstance(init, str) or init not in INITS:
            raise ValueError(
                f"unknown init {init!r}; the schemes are: {', '.join(map(repr, INITS))}"
            )
        self.init = init
        self.std = _positive("std", std)
        self.seed = _seed(seed)
        self._random_params = tuple(p.name for p in self.activation.params if p.kind == "generator")
        self._has_training = any(p.name == "training" for p in self.activation.params)
        rng = np.random.default_rng(self.seed)
        self.weights: list[F64] = []
        self.biases: list[F64] = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            scale = init_std(init, fan_in, fan_out, self.std)
            self.weights.append(rng.normal(0.0, scale, (fan_in, fan_out)))
            self.biases.append(np.zeros(fan_out))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={v!r}" for k, v in self.params.items() if k not in self._random_params
        )
        act = f"{self.activation.name}({shown})" if shown else self.activation.name
        return f"MLP({'-'.join(map(str, self.sizes))}, {act}, init={self.init!r}, seed={self.seed})"

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.sizes) - 2

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    # -- forward ------------------------------------------------------------------------
    def layer_params(self, layer: int, draw: int | None) -> dict[str, Any]:
        """The activation's parameters for hidden layer ``layer`` (0-based): evaluation
        mode when ``draw`` is None; otherwise training mode, with a generator seeded by
        ``[seed, 1, draw, layer]`` for any random parameter. Called once for the value
        and once for the derivative, it gives two generators in the same state."""
        params = dict(self.params)
        if draw is None:
            if self._has_training:
                params["training"] = False
            return params
        for name in self._random_params:
            params[name] = np.random.default_rng([self.seed, 1, draw, layer])
        return params

    def _forward(self, x: F64, draw: int | None) -> _Cache:
        inputs: list[F64] = []
        pre: list[F64] = []
        h = x
        f = self.activation
        with np.errstate(over="ignore", invalid="ignore"):
            for layer, (w, b) in enumerate(zip(self.weights[:-1], self.biases[:-1])):
                inputs.append(h)
                z = h @ w + b
                pre.append(z)
                h = f(z, **self.layer_params(layer, draw))
            inputs.append(h)
            logits = (h @ self.weights[-1] + self.biases[-1])[:, 0]
        return _Cache(inputs, pre, logits, draw)

    def logits(self, x: ArrayLike) -> F64:
        """Output logits ``z`` for input rows ``x`` (shape ``(n, sizes[0])``), evaluation
        mode; shape ``(n,)``. Class 1 is predicted where ``z > 0`` (``p > 1/2``)."""
        return self._forward(self._inputs(x), None).logits

    def predict_proba(self, x: ArrayLike) -> F64:
        """Probability of class 1, ``σ(z)`` by :data:`activations.sigmoid`, shape ``(n,)``."""
        return np.asarray(activations.sigmoid(self.logits(x)), dtype=np.float64)

    def loss(self, x: ArrayLike, y: ArrayLike, *, draw: int | None = None) -> float:
        """Mean binary cross-entropy of the predictions for ``x`` against labels ``y``
        (0 or 1); with ``draw``, in training mode with that draw (see the module)."""
        inputs = self._inputs(x)
        labels = self._labels(y, len(inputs))
        return _cross_entropy(self._forward(inputs, draw).logits, labels)

    # -- backward -----------------------------------------------------------------------
    def gradients(self, x: ArrayLike, y: ArrayLike, *, draw: int | None = None) -> Gradients:
        """Gradients of :meth:`loss` (same arguments) with respect to every weight and
        bias, by backpropagation through the records' ``derivative``."""
        inputs = self._inputs(x)
        labels = self._labels(y, len(inputs))
        return self._backward(self._forward(inputs, draw), labels)

    def _backward(self, cache: _Cache, labels: F64) -> Gradients:
        return self._backprop(cache, labels)[0]

    def _backprop(self, cache: _Cache, labels: F64) -> tuple[Gradients, list[F64], list[F64]]:
        """Gradients, and for each hidden layer ``dL/dz_l`` and ``f'(z_l)`` (for
        :mod:`activations.lab.depth`)."""
        n = len(labels)
        hidden = len(self.weights) - 1
        weights: list[F64] = [np.empty(0)] * len(self.weights)
        biases: list[F64] = [np.empty(0)] * len(self.biases)
        deltas: list[F64] = [np.empty(0)] * hidden
        with np.errstate(over="ignore", invalid="ignore"):
            slopes = self._slopes(cache)
            # dL/dz for the mean loss: (σ(z) - y) / n, as a column.
            delta = ((activations.sigmoid(cache.logits) - labels) / n)[:, None]
            for layer in range(hidden, -1, -1):
                weights[layer] = cache.inputs[layer].T @ delta
                biases[layer] = delta.sum(axis=0)
                if layer == 0:
                    break
                upstream = delta @ self.weights[layer].T  # dL/dh of the layer below
                delta = upstream * slopes[layer - 1]
                deltas[layer - 1] = delta
        return Gradients(weights, biases), deltas, slopes

    def _slopes(self, cache: _Cache) -> list[F64]:
        """``f'(z_l)`` of every hidden layer, from the record's ``derivative``.

        On small arrays the package's cost is mostly per call, so all layers go through
        one call on their concatenated pre-activations (the values are elementwise, so
        they are the same as layer by layer). A random parameter in training mode needs
        each layer's own generator, and so one call per layer.
        """
        f = self.activation
        if not cache.pre:
            return []
        if self._random_params and cache.draw is not None:
            return [
                np.asarray(f.derivative(z, **self.layer_params(layer, cache.draw)), np.float64)
                for layer, z in enumerate(cache.pre)
            ]
        flat = np.concatenate([z.ravel() for z in cache.pre])
        values = np.asarray(f.derivative(flat, **self.layer_params(0, cache.draw)), np.float64)
        slopes, start = [], 0
        for z in cache.pre:
            slopes.append(values[start : start + z.size].reshape(z.shape))
            start += z.size
        return slopes

    def sgd_step(
        self, x: ArrayLike, y: ArrayLike, learning_rate: float, *, draw: int | None = None
    ) -> Gradients:
        """One step of gradient descent on the batch ``(x, y)``: every weight moves by
        ``-learning_rate`` times its gradient. Returns the gradients used."""
        rate = _positive("learning_rate", learning_rate)
        grads = self.gradients(x, y, draw=draw)
        with np.errstate(over="ignore", invalid="ignore"):
            for w, b, gw, gb in zip(self.weights, self.biases, grads.weights, grads.biases):
                w -= rate * gw
                b -= rate * gb
        return grads

    # -- parameters as one vector (for gradient checks and copies) ----------------------
    def get_flat(self) -> F64:
        """A copy of all weights and biases in one vector, in :meth:`Gradients.flat`'s order."""
        return Gradients(self.weights, self.biases).flat().copy()

    def set_flat(self, values: ArrayLike) -> None:
        """Overwrite all weights and biases from a vector laid out as :meth:`get_flat`'s."""
        flat = np.asarray(values, dtype=np.float64)
        if flat.shape != (self.n_parameters,):
            raise ValueError(f"expected {self.n_parameters} values, got shape {flat.shape}")
        start = 0
        for a in (a for pair in zip(self.weights, self.biases) for a in pair):
            a[...] = flat[start : start + a.size].reshape(a.shape)
            start += a.size

    # -- input checks -------------------------------------------------------------------
    def _inputs(self, x: ArrayLike) -> F64:
        array = np.asarray(x, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}); got {array.shape}")
        return array

    @staticmethod
    def _labels(y: ArrayLike, n: int) -> F64:
        labels = np.asarray(y, dtype=np.float64)
        if labels.shape != (n,):
            raise ValueError(
                f"labels must have shape ({n},), one per input row; got {labels.shape}"
            )
        if not np.all((labels == 0) | (labels == 1)):
            raise ValueError("labels must be 0 or 1")
        return labels


def _cross_entropy(logits: F64, labels: F64) -> float:
    """Mean of ``-log σ(s z)`` with ``s = 2y - 1``: binary cross-entropy without overflow."""
    if len(labels) == 0:
        return math.nan
    signed = np.where(labels == 1, logits, -logits)
    return float(-np.mean(activations.log_sigmoid(signed)))


# -- training -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    """Loss and accuracy on the training and the test points after ``steps`` SGD steps
    (``epoch`` full passes over the training points have been completed)."""

    epoch: int
    steps: int
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain Python numbers (for JSON or JavaScript)."""
        return {
            "epoch": self.epoch,
            "steps": self.steps,
            "train_loss": self.train_loss,
            "test_loss": self.test_loss,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
        }


@dataclass(frozen=True, eq=False)
class DecisionGrid:
    """The network's probability of class 1 on an ``n × n`` grid over the square
    ``[-extent, extent]²``: ``probability[i, j]`` is at ``(xs[j], ys[i])``. Row 0 is the
    bottom (``ys`` increase), so a canvas drawing top-down takes the rows in reverse."""

    xs: F64
    ys: F64
    probability: F64
    extent: float

    def as_dict(self) -> dict[str, Any]:
        """Plain Python lists (for JSON or JavaScript); ``probability`` as a list of rows."""
        return {
            "xs": self.xs.tolist(),
            "ys": self.ys.tolist(),
            "probability": self.probability.tolist(),
            "extent": self.extent,
        }


class Trainer:
    """Trains an :class:`MLP` on a :class:`~activations.lab.datasets.Dataset` with
    minibatch stochastic gradient descent, TensorFlow-Playground style.

    Each epoch visits the training points in a fresh random order (from the seed), in
    batches of ``batch_size`` (the last one may be smaller); each batch is one SGD step.
    :meth:`step` takes one batch, :meth:`epoch` finishes the current pass, :meth:`run`
    several; each returns :class:`Metrics` measured after the update and :meth:`epoch` /
    :meth:`run` append one per completed epoch to :attr:`history` (the loss curves).
    :meth:`reset` starts again from the same initial weights: with the same arguments a
    run is reproduced exactly, step for step.

    ``learning_rate`` and ``batch_size`` may be changed between steps (as the
    Playground's controls can); the new batch size applies from the next epoch.

    A learning rate that is too large can make the weights overflow: the losses then
    become ``inf`` or ``nan`` (no warning is raised), which the caller can show.
    """

    _learning_rate: float
    _batch_size: int

    def __init__(
        self,
        data: _datasets.Dataset,
        hidden: Sequence[int] = (8, 8),
        activation: str | Activation = "tanh",
        params: Mapping[str, Any] | None = None,
        *,
        init: str = "xavier",
        std: float = 1.0,
        learning_rate: float = 0.03,
        batch_size: int = 10,
        seed: int = 0,
    ) -> None:
        if not isinstance(data, _datasets.Dataset):
            raise TypeError(
                f"data must be an activations.lab.datasets.Dataset; got {type(data).__name__}"
            )
        if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
            raise TypeError(
                f"hidden must be a sequence of layer widths, e.g. (8, 8); got {hidden!r}"
            )
        self.data = data
        self.hidden = tuple(hidden)
        self._model_args: dict[str, Any] = {
            "sizes": (data.x_train.shape[1], *self.hidden, 1),
            "activation": activation,
            "params": params,
            "init": init,
            "std": std,
            "seed": seed,
        }
        self.model = MLP(**self._model_args)
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.seed = self.model.seed
        self._x_all = np.concatenate([data.x_train, data.x_test])
        self._y_train = data.y_train.astype(np.float64)
        self.reset()

    # The two settings the Playground lets one change while training.
    @property
    def learning_rate(self) -> float:
        """Step size of SGD, a positive number."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = _positive("learning_rate", value)

    @property
    def batch_size(self) -> int:
        """Training points per SGD step, a positive integer (capped at the training set)."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"batch_size must be a positive integer; got {value!r}")
        if value < 1:
            raise ValueError(f"batch_size must be a positive integer; got {value!r}")
        self._batch_size = int(value)

    def reset(self) -> Metrics:
        """Back to the initial weights and step 0 (the same ones: they come from the
        seed); clears :attr:`history` and returns the metrics of the untrained network."""
        self.model = MLP(**self._model_args)
        self.steps = 0
        self.epochs = 0
        self._shuffle = np.random.default_rng([self.seed, 2])
        self._order = np.empty(0, dtype=np.int64)
        self._cursor = 0
        first = self.evaluate()
        self.history: list[Metrics] = [first]
        return first

    def _next_batch(self) -> NDArray[np.intp]:
        n = len(self._y_train)
        if self._cursor >= len(self._order):
            self._order = self._shuffle.permutation(n)
            self._cursor = 0
        batch = self._order[self._cursor : self._cursor + self._batch_size]
        self._cursor += len(batch)
        return batch

    def _train_step(self) -> bool:
        """One SGD step; True when it completed an epoch."""
        batch = self._next_batch()
        self.model.sgd_step(
            self.data.x_train[batch], self._y_train[batch], self._learning_rate, draw=self.steps
        )
        self.steps += 1
        if self._cursor >= len(self._order):
            self.epochs += 1
            return True
        return False

    def step(self) -> Metrics:
        """One SGD step on the next batch; the metrics after it."""
        if self._train_step():
            self.history.append(self.evaluate())
            return self.history[-1]
        return self.evaluate()

    def epoch(self) -> Metrics:
        """Steps until the current epoch is complete (a whole one from a boundary)."""
        return self.run(1)

    def run(self, epochs: int) -> Metrics:
        """Train for ``epochs`` more epochs; metrics are measured (and appended to
        :attr:`history`) at the end of each, which costs one forward pass over all points."""
        if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, numbers.Integral):
            raise TypeError(f"epochs must be a non-negative integer; got {epochs!r}")
        if epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
        for _ in range(int(epochs)):
            while not self._train_step():
                pass
            self.history.append(self.evaluate())
        return self.history[-1]

    def evaluate(self) -> Metrics:
        """Loss and accuracy on the training and the test points, without training (one
        forward pass over both sets together, evaluation mode)."""
        logits = self.model._forward(self._x_all, None).logits
        n_train = len(self._y_train)
        train, test = logits[:n_train], logits[n_train:]
        y_test = self.data.y_test.astype(np.float64)
        return Metrics(
            epoch=self.epochs,
            steps=self.steps,
            train_loss=_cross_entropy(train, self._y_train),
            test_loss=_cross_entropy(test, y_test),
            train_accuracy=_accuracy(train, self._y_train),
            test_accuracy=_accuracy(test, y_test),
        )

    def decision_grid(self, n: int = 50, extent: float | None = None) -> DecisionGrid:
        """Probabilities of class 1 on an ``n × n`` grid (see :class:`DecisionGrid`)
        covering ``[-extent, extent]²`` (default: the dataset's ``extent``), for the
        heat map behind the points."""
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 2:
            raise ValueError(f"n must be an integer >= 2; got {n!r}")
        half = self.data.extent if extent is None else _positive("extent", extent)
        axis = np.linspace(-half, half, int(n))
        gx, gy = np.meshgrid(axis, axis)  # gx[i, j] = axis[j], gy[i, j] = axis[i]
        points = np.stack([gx.ravel(), gy.ravel()], axis=1)
        probability = self.model.predict_proba(points).reshape(int(n), int(n))
        return DecisionGrid(axis, axis.copy(), probability, half)


def _accuracy(logits: F64, labels: F64) -> float:
    """Share of points on the right side: class 1 predicted where the logit is positive."""
    if len(labels) == 0:
        return math.nan
    return float(np.mean((logits > 0) == (labels == 1)))


# -- argument checks ----------------------------------------------------------------------


def _check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(
            f"sizes must be a sequence of layer widths, e.g. (2, 8, 8, 1); got {sizes!r}"
        )
    widths = tuple(sizes)
    if len(widths) < 2:
        raise ValueError(
            f"sizes needs an input and an output width, e.g. (2, 8, 8, 1); got {widths!r}"
        )
    for width in widths:
        if isinstance(width, (bool, np.bool_)) or not isinstance(width, numbers.Integral):
            raise TypeError(f"every layer width must be an integer; got {width!r} in {widths!r}")
        if width < 1:
            raise ValueError(f"every layer width must be at least 1; got {width!r} in {widths!r}")
    if widths[-1] != 1:
        raise ValueError(
            f"the output layer must have 1 unit (the logit of class 1); got {widths[-1]} in {widths!r}"
        )
    return tuple(int(w) for w in widths)


def _check_params(record: Activation, params: Mapping[str, Any] | None) -> dict[str, Any]:
    given = dict(params or {})
    supplied = [p.name for p in record.params if p.kind == "generator" and p.name in given]
    if supplied:
        raise ValueError(
            f"{record.name}: parameter(s) {', '.join(map(repr, supplied))} are supplied by the"
            " network (seeded from its seed), so they cannot be given"
        )
    if any(p.kind == "generator" for p in record.params):
        # Check with a stand-in generator, so training=True passes the record's check.
        probe = {
            **given,
            **{p.name: np.random.default_rng(0) for p in record.params if p.kind == "generator"},
        }
        record.resolve_params(probe)
    else:
        record.resolve_params(given)  # unknown names, types and ranges: the record's errors
    return given


def _positive(what: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a positive number; got {value!r}")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{what} must be a positive finite number; got {value!r}")
    return number


def _seed(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer; got {value!r}")
    if value < 0:
        raise ValueError(f"seed must be a non-negative integer; got {value!r}")
    return int(value)
