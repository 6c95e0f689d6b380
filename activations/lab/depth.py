r"""Gradients through depth: what a deep stack of one activation does to a signal.

Take a network of ``depth`` hidden layers of ``width`` units, freshly initialised, and
push one batch through it and back. Layer by layer, this module reports the statistics
of the activations ``h_l`` (mean, standard deviation, share exactly zero) and the size of
the gradients (the norm of ``∂L/∂W_l`` and of ``∂L/∂z_l``).

Why they shrink or grow: going back through layer ``l`` multiplies the gradient by the
transposed weights and by the slopes ``f'(z_l)``. With ``fan_in`` inputs per unit and
weights of variance ``v``, the weights scale a vector's length by about
``sqrt(fan_in · v)``, and the slopes by their typical size, so each layer multiplies the
gradient by roughly

.. math::

    g \approx \sqrt{\text{fan\_in} \cdot v} \cdot \operatorname{rms} f'(z_l).

Over ``depth`` layers that is ``g^depth``: below 1 the first layers get vanishing
gradients and learn nothing; above 1 they explode. ``delta_norm`` (the norm of
``∂L/∂z_l``) is this backward signal itself. ``weight_grad_norm`` (what SGD changes
``W_l`` by) is the product of that signal and the layer's input ``h_{l-1}``, so a
forward signal that grows while the backward one shrinks (or the reverse) can hide the
effect in it; plot both. Measured with the defaults (width 32, depth 20, a batch of 256
circle points, seed 0); the factor is ``(δ_1 / δ_20)^(1/19)``:

* **sigmoid** never has a slope above 1/4, so with weights that keep the variance
  (``fan_in · v ≈ 1``, e.g. Xavier) ``g ≤ 1/4``. Measured: ``g = 0.23``, and a
  first-layer weight gradient of ``3·10⁻¹⁵``, against ``2·10⁻²`` at the last layer.
  **tanh** has slope 1 at 0 and does far better (``g = 0.94``) until it saturates.
* **relu** has slope 1 on the half of its inputs that are positive and 0 on the rest:
  ``rms f' = sqrt(1/2)``. Xavier's ``v = 1/fan_in`` (square layers) then gives
  ``g ≈ 0.71`` (measured 0.69: the signal fades, forward too: ``h`` has standard
  deviation ``7·10⁻⁵`` at layer 20); **He**'s ``v = 2/fan_in`` gives ``g ≈ 1`` (measured
  0.97): that factor 2 is the whole point of He initialisation.
* **selu** with **LeCun**'s ``v = 1/fan_in`` drives the activations towards mean 0 and
  standard deviation 1 whatever the depth (self-normalisation; measured at layer 20:
  mean -0.04, standard deviation 0.94); with He's larger weights it overshoots (5.4).
  For square layers Xavier and LeCun are the same variance; they differ only where
  ``fan_in ≠ fan_out`` (here the first layer).
* ``init="normal"`` with ``std=1`` ignores the width: ``fan_in · v = width``, and the
  signal explodes, for relu by ``sqrt(32/2) = 4`` per layer (measured 3.9; activations
  of ``5·10¹⁰`` at layer 20).

``mean_abs_slope`` (the mean of ``|f'(z_l)|``, from the record's ``derivative``) shows
the slope factor directly.

>>> prof = profile("sigmoid", depth=20, width=16)
>>> prof.layers[0].weight_grad_norm < profile("relu", depth=20, width=16).layers[0].weight_grad_norm
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import datasets as _datasets
from .mlp import MLP, _cross_entropy, _positive

__all__ = ["DepthProfile", "LayerStats", "profile"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class LayerStats:
    """One hidden layer (``layer`` counts from 1, next to the input) for one batch.

    ``mean``, ``std``: of the activations ``h_l = f(z_l)`` over the batch and the units;
    ``fraction_zero``: share of them exactly 0 (a ReLU unit that is off);
    ``pre_mean``, ``pre_std``: of the pre-activations ``z_l``;
    ``mean_abs_slope``: mean of ``|f'(z_l)|``;
    ``weight_grad_norm``: Frobenius norm of ``∂L/∂W_l`` (what SGD moves ``W_l`` by);
    ``delta_norm``: norm of ``∂L/∂z_l``, the signal passed down to layer ``l - 1``.
    """

    layer: int
    mean: float
    std: float
    fraction_zero: float
    pre_mean: float
    pre_std: float
    mean_abs_slope: float
    weight_grad_norm: float
    delta_norm: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain Python numbers (for JSON or JavaScript)."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class DepthProfile:
    """Per-layer statistics of one forward and backward pass (see :func:`profile`).

    ``layers`` has one :class:`LayerStats` per hidden layer, input side first;
    ``output_grad_norm`` is the norm of the gradient of the output layer's weights and
    ``loss`` the batch's cross-entropy. The other fields repeat the arguments.
    """

    activation: str
    params: Mapping[str, Any]
    depth: int
    width: int
    init: str
    std: float
    batch_size: int
    dataset: str
    seed: int
    loss: float
    output_grad_norm: float
    layers: tuple[LayerStats, ...]

    @property
    def weight_grad_norms(self) -> list[float]:
        """``‖∂L/∂W_l‖`` for the hidden layers, input side first: the curve to plot (on a
        log scale) to see gradients vanish or explode."""
        return [s.weight_grad_norm for s in self.layers]

    @property
    def first_layer_grad_norm(self) -> float:
        """``‖∂L/∂W_1‖``, the layer farthest from the loss: the one that starves first."""
        return self.layers[0].weight_grad_norm

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values (for JSON or JavaScript)."""
        return {
            "activation": self.activation,
            "params": dict(self.params),
            "depth": self.depth,
            "width": self.width,
            "init": self.init,
            "std": self.std,
            "batch_size": self.batch_size,
            "dataset": self.dataset,
            "seed": self.seed,
            "loss": self.loss,
            "output_grad_norm": self.output_grad_norm,
            "layers": [s.as_dict() for s in self.layers],
        }


def profile(
    activation: str = "relu",
    params: Mapping[str, Any] | None = None,
    *,
    depth: int = 20,
    width: int = 32,
    init: str = "xavier",
    std: float = 1.0,
    dataset: str = "circle",
    batch_size: int = 256,
    seed: int = 0,
) -> DepthProfile:
    """Initialise a ``2 → width × depth → 1`` network and measure one batch through it.

    Parameters
    ----------
    activation, params
        The hidden layers' activation (any elementwise one) and its parameters.
    depth, width
        Number of hidden layers (at least 1) and units in each (at least 1).
    init, std
        Weight initialisation, as for :class:`~activations.lab.mlp.MLP` (default
        Xavier/Glorot, Keras' default; ``std`` only for ``"normal"``).
    dataset, batch_size
        The batch: ``batch_size`` training points of that dataset (see
        :func:`activations.lab.datasets.make`), drawn with ``seed``.
    seed
        Seeds the weights and the batch: the same arguments give the same profile.

    Overflow (an exploding network) gives ``inf`` or ``nan`` statistics, not a warning.
    """
    for what, value in (("depth", depth), ("width", width), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{what} must be a positive integer; got {value!r}")
    std = _positive("std", std)
    net = MLP(
        (2, *([int(width)] * int(depth)), 1), activation, params, init=init, std=std, seed=seed
    )
    data = _datasets.make(dataset, 2 * int(batch_size), seed=seed)
    x, y = data.x_train, data.y_train.astype(np.float64)
    cache = net._forward(x, None)
    grads, deltas, slopes = net._backprop(cache, y)
    layers = []
    with np.errstate(over="ignore", invalid="ignore"):
        for index in range(net.depth):
            h = cache.inputs[index + 1]
            z = cache.pre[index]
            layers.append(
                LayerStats(
                    layer=index + 1,
                    mean=float(np.mean(h)),
                    std=float(np.std(h)),
                    fraction_zero=float(np.mean(h == 0)),
                    pre_mean=float(np.mean(z)),
                    pre_std=float(np.std(z)),
                    mean_abs_slope=float(np.mean(np.abs(slopes[index]))),
                    weight_grad_norm=_norm(grads.weights[index]),
                    delta_norm=_norm(deltas[index]),
                )
            )
        loss = _cross_entropy(cache.logits, y)
    return DepthProfile(
        activation=net.activation.name,
        params=dict(net.params),
        depth=int(depth),
        width=int(width),
        init=init,
        std=std,
        batch_size=int(batch_size),
        dataset=dataset,
        seed=net.seed,
        loss=loss,
        output_grad_norm=_norm(grads.weights[-1]),
        layers=tuple(layers),
    )


def _norm(a: F64) -> float:
    """Euclidean (Frobenius) norm, scaled by the largest entry first so that neither
    tiny (vanishing, ``1e-200``) nor huge entries under- or overflow when squared;
    ``inf`` and ``nan`` pass through without a warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        largest = float(np.max(np.abs(a))) if a.size else 0.0
        if largest == 0.0 or not math.isfinite(largest):
            return largest
        return largest * math.sqrt(float(np.sum(np.square(a / largest))))
