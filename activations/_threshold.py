"""Threshold units: the step that started it all, and its relatives.

These are the oldest activations: a neuron "fires" (outputs 1) when its input reaches
a threshold. They are piecewise constant, so their derivative is 0 wherever it exists,
which is exactly why gradient descent cannot train them and smooth activations
replaced them.
"""

from __future__ import annotations

import math

import numpy as np

from ._core import (
    DISCONTINUOUS,
    SMOOTH,
    Activation,
    FrameworkName,
    Interval,
    Kink,
    Origin,
    Param,
    Properties,
    zero_slope,
)
from ._util import F64


# -- identity -------------------------------------------------------------------------
def _identity(x: F64) -> F64:
    return x.copy()


def _identity_derivative(x: F64) -> F64:
    # NaN in, NaN out: the derivative of the identity at NaN is not 1.
    return np.where(np.isnan(x), np.nan, 1.0)


identity = Activation(
    name="identity",
    display_name="Identity",
    summary="Passes its input through unchanged: the 'no activation' of output layers.",
    family="threshold",
    kernel=_identity,
    derivative_kernel=_identity_derivative,
    latex=r"f(x) = x",
    derivative_latex=r"f'(x) = 1",
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
        identity_near_origin=True,
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.nn.Identity", notes="A module; there is no functional form."),
        FrameworkName("JAX", "jax.nn.identity"),
        FrameworkName("Keras 3", "keras.activations.linear", notes="Called 'linear'."),
        FrameworkName("TensorFlow", "tf.identity"),
    ),
    aliases=("linear",),
    cost="none",
)


# -- step -----------------------------------------------------------------------------
def _step(x: F64, threshold: float) -> F64:
    return np.where(np.isnan(x), np.nan, (x >= threshold).astype(np.float64))


def _step_derivative(x: F64, threshold: float) -> F64:
    return np.where(np.isnan(x), np.nan, 0.0)


step = Activation(
    name="step",
    display_name="Binary step",
    summary="Outputs 1 when the input reaches the threshold and 0 otherwise.",
    family="threshold",
    kernel=_step,
    derivative_kernel=_step_derivative,
    latex=r"f(x) = \begin{cases} 1, & x \ge \theta \\ 0, & x < \theta \end{cases}",
    derivative_latex=r"f'(x) = 0 \quad (x \ne \theta)",
    params=(
        Param(
            "threshold",
            0.0,
            "The input at which the unit starts to fire.",
            latex=r"\theta",
            slider=(-3.0, 3.0),
        ),
    ),
    properties=Properties(
        range=Interval(0.0, 1.0, values=(0.0, 1.0)),
        monotonic=True,
        continuity=DISCONTINUOUS,
        zero_centred=False,
        saturating="both",
    ),
    kinks=(
        Kink(
            points=lambda p: [p["threshold"]],
            value=zero_slope,
            point_latex=r"x = \theta",
            value_latex="0",
            note="The jump has no derivative; 0 is returned there as everywhere else.",
        ),
    ),
    origin=Origin(
        authors="W. S. McCulloch and W. Pitts",
        year=1943,
        title="A logical calculus of the ideas immanent in nervous activity",
        venue="Bulletin of Mathematical Biophysics 5",
        url="https://doi.org/10.1007/BF02478259",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes="No built-in step; torch.heaviside(x, torch.tensor(1.0)) gives the same values.",
        ),
        FrameworkName("JAX", "", notes="No built-in; jnp.heaviside(x, 1.0) gives the same values."),
        FrameworkName("Keras 3", "", notes="No built-in step activation."),
        FrameworkName("TensorFlow", "", notes="No built-in step activation."),
    ),
    aliases=("heaviside", "binary_step", "unit_step"),
    cost="1 comparison",
    test_params=({"threshold": 0.5}, {"threshold": -2.0}),
)


# -- threshold (PyTorch's) --------------------------------------------------------------
def _threshold(x: F64, threshold: float, value: float) -> F64:
    return np.where(x > threshold, x, np.where(np.isnan(x), np.nan, value))


def _threshold_derivative(x: F64, threshold: float, value: float) -> F64:
    return np.where(np.isnan(x), np.nan, (x > threshold).astype(np.float64))


threshold = Activation(
    name="threshold",
    display_name="Threshold",
    summary="PyTorch's Threshold: keeps x above the threshold and replaces the rest by a value.",
    family="threshold",
    kernel=_threshold,
    derivative_kernel=_threshold_derivative,
    latex=r"f(x) = \begin{cases} x, & x > \theta \\ v, & x \le \theta \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > \theta \\ 0, & x < \theta \end{cases}",
    params=(
        Param("threshold", 0.0, "Inputs at or below this are replaced.", r"\theta", slider=(-3, 3)),
        Param("value", 0.0, "What replaces them.", "v", slider=(-3.0, 3.0)),
    ),
    properties=Properties(
        range=Interval(0.0, math.inf, low_closed=True),
        monotonic=True,
        continuity=0,
        zero_centred=False,
        saturating="left",
    ),
    kinks=(
        Kink(
            points=lambda p: [p["threshold"]],
            value=zero_slope,
            point_latex=r"x = \theta",
            value_latex="0",
            note="PyTorch's backward passes the gradient only where x > threshold.",
        ),
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.threshold",
            defaults="threshold and value are required",
            notes="Not a step function: it returns x itself above the threshold.",
        ),
        FrameworkName("JAX", "", notes="No built-in; jnp.where(x > t, x, v)."),
        FrameworkName(
            "Keras 3",
            "keras.ops.threshold",
            defaults="threshold, default_value required",
            notes="Same definition, named default_value for v.",
        ),
        FrameworkName("TensorFlow", "", notes="No built-in; tf.where(x > t, x, v)."),
    ),
    cost="1 comparison",
    test_params=({"threshold": 1.0, "value": -2.0}, {"threshold": -0.5, "value": 0.25}),
)


# -- sign -----------------------------------------------------------------------------
def _sign(x: F64) -> F64:
    return np.sign(x)


def _sign_derivative(x: F64) -> F64:
    return np.where(np.isnan(x), np.nan, 0.0)


sign = Activation(
    name="sign",
    display_name="Sign",
    summary="The signum: -1 for negative inputs, 0 at 0 and 1 for positive inputs.",
    family="threshold",
    kernel=_sign,
    derivative_kernel=_sign_derivative,
    latex=r"f(x) = \operatorname{sign}(x) = \begin{cases} -1, & x < 0 \\ 0, & x = 0 \\ 1, & x > 0 \end{cases}",
    derivative_latex=r"f'(x) = 0 \quad (x \ne 0)",
    properties=Properties(
        range=Interval(-1.0, 1.0, values=(-1.0, 0.0, 1.0)),
        monotonic=True,
        continuity=DISCONTINUOUS,
        zero_centred=True,
        saturating="both",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0],
            value=zero_slope,
            point_latex="x = 0",
            value_latex="0",
            note="torch.sign's backward is 0 everywhere, the jump at 0 included.",
        ),
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.sign"),
        FrameworkName("JAX", "jax.numpy.sign"),
        FrameworkName("Keras 3", "keras.ops.sign"),
        FrameworkName("TensorFlow", "tf.math.sign"),
    ),
    aliases=("signum",),
    cost="1 comparison",
)


#: The records of this module, in teaching order.
RECORDS = (step, threshold, sign, identity)
