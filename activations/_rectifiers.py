r"""Rectifiers: ReLU and the piecewise linear (or piecewise polynomial) units built on it.

The rectified linear unit ``max(0, x)`` replaced the sigmoid and tanh as the default
hidden-layer activation around 2010–2012. It costs one comparison, it does not saturate
for positive inputs (the gradient there is exactly 1, however deep the network), and it
outputs exact zeros for about half of its inputs, which makes representations sparse.
Its weakness is the other half: a unit whose input stays negative gets no gradient and
can stop learning for good (a "dead" ReLU). The functions here are the answers to that,
and a few relatives:

* :data:`relu6` caps the output at 6; MobileNets use it for its robustness in
  low-precision arithmetic.
* :data:`leaky_relu`, :data:`prelu` and :data:`rrelu` give the negative side a small
  slope instead of none: fixed (leaky), learned with the weights (parametric) or drawn
  at random during training and averaged at test time (randomised).
* :data:`srelu` has three linear pieces: the identity between two thresholds and
  different slopes outside them, so it can be convex, concave or S-shaped.
* :data:`squared_relu` and :data:`sparse_plus` are smoother: the first squares ReLU
  (continuous derivative, quadratic growth), the second joins 0 and ``x`` by the parabola
  ``(x + 1)²/4`` so that the derivative is continuous.
* :data:`absolute` and :data:`bent_identity` are simple non-saturating curves from the
  classic catalogues of activation functions.

Each function is piecewise linear or piecewise polynomial, so exactness is mostly a
matter of rounding once. ``max(0, x)``, ``|x|`` and the clip of ReLU6 involve no
arithmetic at all and are exact; ``a·x`` is a single rounding, hence correctly rounded.
Where the textbook formula rounds two or three times (``x·(l + u)/2`` in RReLU,
``t + a(x - t)`` in SReLU, ``(x + 1)²/4`` in sparse plus, the square root of bent
identity), the intermediate results are carried as double-doubles (an unevaluated sum of
two doubles) with the error-free ``two_sum``/``two_product`` of ``_special`` and rounded
once at the end. ``x²`` and ``2x`` overflow for huge inputs, where ±inf is the correctly
rounded answer; bent identity, whose textbook form also overflows (``x²``) and cancels
(``√(x² + 1) - 1``), is rewritten so that neither happens.

At the corners the derivative is the one PyTorch's backward pass returns; each record's
``kinks`` say what that is and where JAX, Keras or TensorFlow disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._core import (
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
from ._sigmoidal import _scale
from ._special import DD, two_product, two_sum
from ._util import F64, piecewise


def _nan_or(x: F64, value: F64 | float) -> F64:
    """``value`` (broadcast to x's shape), with NaN wherever x is NaN."""
    return np.where(np.isnan(x), np.nan, value)


def _leaky(x: F64, slope: F64 | float) -> F64:
    """``x`` for ``x >= 0``, ``slope·x`` for ``x < 0``; NaN stays NaN.

    One multiplication, so the result is correctly rounded. At ``x = -inf`` the value is
    the limit: ±inf, or 0 when the slope is 0 (where ``0·(-inf)`` would give NaN).
    ``slope`` is a number or an array of x's shape (RReLU's random slopes).
    """
    negative = x < 0
    v = np.where(negative & ~((slope == 0) & np.isinf(x)), x, 0.0)
    # |slope·x| beyond the largest double (a slope above 1 and a huge x): the product
    # overflows to ±inf, which is the correctly rounded result, not a fault.
    with np.errstate(over="ignore"):
        product = slope * v
    return np.where(negative, product, x)


def _leaky_derivative(x: F64, slope: F64 | float) -> F64:
    # 1 for x > 0, the slope for x <= 0 (at 0 too, as PyTorch's backward).
    return _nan_or(x, np.where(x > 0, 1.0, slope))


# -- ReLU -----------------------------------------------------------------------------
def _relu(x: F64) -> F64:
    # max(0, x), NaN kept: no arithmetic, so exact.
    return np.where(x > 0, x, _nan_or(x, 0.0))


def _relu_derivative(x: F64) -> F64:
    return _nan_or(x, (x > 0).astype(np.float64))


relu = Activation(
    name="relu",
    display_name="ReLU",
    summary="The rectified linear unit: the input where it is positive, 0 elsewhere.",
    family="rectifiers",
    kernel=_relu,
    derivative_kernel=_relu_derivative,
    latex=r"f(x) = \max(0, x) = \begin{cases} x, & x > 0 \\ 0, & x \le 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > 0 \\ 0, & x < 0 \end{cases}",
    properties=Properties(
        range=Interval(0.0, math.inf, low_closed=True),
        monotonic=True,
        continuity=0,
        zero_centred=False,
        saturating="left",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0],
            value=zero_slope,
            point_latex="x = 0",
            value_latex="0",
            note=(
                "PyTorch's backward passes the gradient only where x > 0, so it is 0 at 0."
                " JAX defines the same value explicitly (jax.nn.relu has a custom derivative"
                " with ∇relu(0) = 0), and TensorFlow's ReluGrad also gives 0."
            ),
        ),
    ),
    origin=Origin(
        authors="V. Nair and G. E. Hinton",
        year=2010,
        title="Rectified Linear Units Improve Restricted Boltzmann Machines",
        venue="ICML 2010",
        url="https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch", "torch.nn.functional.relu", notes="Also torch.relu, torch.nn.ReLU."
        ),
        FrameworkName("JAX", "jax.nn.relu"),
        FrameworkName(
            "Keras 3",
            "keras.activations.relu",
            defaults="negative_slope=0.0, max_value=None, threshold=0.0",
            notes=(
                "The options turn it into a leaky ReLU, a capped ReLU (max_value=6 is"
                " ReLU6) or a ReLU shifted to start at the threshold. Also keras.ops.relu."
            ),
        ),
        FrameworkName("TensorFlow", "tf.nn.relu"),
    ),
    aliases=("rectifier", "rectified_linear_unit"),
    cost="1 comparison",
)


# -- ReLU6 ----------------------------------------------------------------------------
def _relu6(x: F64) -> F64:
    # min(max(0, x), 6): a clip returns x or a bound, so it is exact; NaN stays NaN.
    return np.clip(x, 0.0, 6.0)


def _relu6_derivative(x: F64) -> F64:
    # 1 strictly inside (0, 6), 0 outside and at both corners (PyTorch's backward).
    return _nan_or(x, ((x > 0) & (x < 6)).astype(np.float64))


relu6 = Activation(
    name="relu6",
    display_name="ReLU6",
    summary="ReLU capped at 6: 0 for negative inputs, x up to 6, and 6 beyond.",
    family="rectifiers",
    kernel=_relu6,
    derivative_kernel=_relu6_derivative,
    latex=(
        r"f(x) = \min(\max(0, x), 6) = \begin{cases} 0, & x \le 0 \\ x, & 0 < x < 6 \\"
        r" 6, & x \ge 6 \end{cases}"
    ),
    derivative_latex=(
        r"f'(x) = \begin{cases} 1, & 0 < x < 6 \\ 0, & x < 0 \text{ or } x > 6 \end{cases}"
    ),
    properties=Properties(
        range=Interval(0.0, 6.0, low_closed=True, high_closed=True),
        monotonic=True,
        continuity=0,
        zero_centred=False,
        saturating="both",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0, 6.0],
            value=zero_slope,
            point_latex=r"x = 0,\ x = 6",
            value_latex="0",
            note=(
                "PyTorch computes relu6 as hardtanh(x, 0, 6), whose backward passes the"
                " gradient only strictly between the bounds: 0 at both corners. JAX returned"
                " 0.5 there until jax-ml/jax#14840 changed it to 0 to match PyTorch;"
                " TensorFlow's Relu6Grad is also 0 at 0 and 6."
            ),
        ),
    ),
    origin=Origin(
        authors="A. Krizhevsky",
        year=2010,
        title="Convolutional Deep Belief Networks on CIFAR-10",
        venue="Unpublished manuscript, University of Toronto",
        url="https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.nn.functional.relu6", notes="Also torch.nn.ReLU6."),
        FrameworkName("JAX", "jax.nn.relu6"),
        FrameworkName("Keras 3", "keras.activations.relu6", notes="Also keras.ops.relu6."),
        FrameworkName("TensorFlow", "tf.nn.relu6"),
    ),
    cost="2 comparisons",
)


# -- leaky ReLU -----------------------------------------------------------------------
def _leaky_relu(x: F64, negative_slope: float) -> F64:
    return _leaky(x, negative_slope)


def _leaky_relu_derivative(x: F64, negative_slope: float) -> F64:
    return _leaky_derivative(x, negative_slope)


leaky_relu = Activation(
    name="leaky_relu",
    display_name="Leaky ReLU",
    summary="ReLU with a small fixed slope for negative inputs, so no unit is ever dead.",
    family="rectifiers",
    kernel=_leaky_relu,
    derivative_kernel=_leaky_relu_derivative,
    latex=r"f(x) = \begin{cases} x, & x \ge 0 \\ \alpha x, & x < 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > 0 \\ \alpha, & x < 0 \end{cases}",
    params=(
        Param(
            "negative_slope",
            0.01,
            "Slope for negative inputs (PyTorch's name; Keras also says negative_slope,"
            " TensorFlow alpha).",
            latex=r"\alpha",
            slider=(0.0, 1.0),
        ),
    ),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0] if p["negative_slope"] != 1.0 else [],
            value=lambda p: float(p["negative_slope"]),
            point_latex=r"x = 0 \ (\alpha \ne 1)",
            value_latex=r"\alpha",
            note=(
                "PyTorch's backward uses the slope α wherever x ≤ 0, so α at 0, and so does"
                " TensorFlow's LeakyReluGrad. JAX writes jnp.where(x >= 0, x, α x), so its"
                " gradient at 0 is 1."
            ),
        ),
    ),
    origin=Origin(
        authors="A. L. Maas, A. Y. Hannun and A. Y. Ng",
        year=2013,
        title="Rectifier Nonlinearities Improve Neural Network Acoustic Models",
        venue="ICML 2013 Workshop on Deep Learning for Audio, Speech and Language Processing",
        url="https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.leaky_relu",
            defaults="negative_slope=0.01",
            notes="Also torch.nn.LeakyReLU.",
        ),
        FrameworkName("JAX", "jax.nn.leaky_relu", defaults="negative_slope=0.01"),
        FrameworkName(
            "Keras 3",
            "keras.activations.leaky_relu",
            defaults="negative_slope=0.2",
            notes=(
                "A different default: 0.2 here and in keras.ops.leaky_relu, and 0.3 in the"
                " layer keras.layers.LeakyReLU."
            ),
        ),
        FrameworkName(
            "TensorFlow",
            "tf.nn.leaky_relu",
            defaults="alpha=0.2",
            notes="The slope is called alpha and defaults to 0.2.",
        ),
    ),
    aliases=("lrelu", "leaky_rectifier"),
    cost="1 comparison, 1 multiplication",
    test_params=({"negative_slope": 0.2}, {"negative_slope": 0.3}),
)


# -- PReLU ----------------------------------------------------------------------------
def _prelu(x: F64, weight: float) -> F64:
    return _leaky(x, weight)


def _prelu_derivative(x: F64, weight: float) -> F64:
    return _leaky_derivative(x, weight)


prelu = Activation(
    name="prelu",
    display_name="PReLU",
    summary="Parametric ReLU: a leaky ReLU whose negative slope is learned with the weights.",
    family="rectifiers",
    kernel=_prelu,
    derivative_kernel=_prelu_derivative,
    latex=r"f(x) = \begin{cases} x, & x \ge 0 \\ a x, & x < 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > 0 \\ a, & x < 0 \end{cases}",
    params=(
        Param(
            "weight",
            0.25,
            "The learned slope for negative inputs, here a single number (PyTorch keeps one"
            " per channel or one shared; 0.25 is its initial value, as in the paper).",
            latex="a",
            slider=(-1.0, 1.0),
        ),
    ),
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0] if p["weight"] != 1.0 else [],
            value=lambda p: float(p["weight"]),
            point_latex=r"x = 0 \ (a \ne 1)",
            value_latex="a",
            note=(
                "PyTorch's backward uses the slope a wherever x ≤ 0, so a at 0. Keras'"
                " PReLU layer computes relu(x) - a·relu(-x), and ReLU's gradient at 0 is 0 on"
                " every backend, so its gradient at 0 is 0."
            ),
        ),
    ),
    origin=Origin(
        authors="K. He, X. Zhang, S. Ren and J. Sun",
        year=2015,
        title=(
            "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet"
            " Classification"
        ),
        venue="ICCV 2015",
        url="https://arxiv.org/abs/1502.01852",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.prelu",
            defaults="weight required; torch.nn.PReLU(num_parameters=1, init=0.25)",
            notes="weight is a tensor: one slope shared by all channels, or one per channel.",
        ),
        FrameworkName(
            "JAX",
            "",
            notes="No built-in: jax.nn.leaky_relu(x, negative_slope=a) with a learned a.",
        ),
        FrameworkName(
            "Keras 3",
            "keras.layers.PReLU",
            defaults="alpha_initializer='Zeros'",
            notes=(
                "A layer only, with one slope per unit unless shared_axes is given. It"
                " starts from a = 0, i.e. from plain ReLU, not from the paper's 0.25"
                " (keras-team/keras#9810)."
            ),
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No tf.nn version; tf.keras.layers.PReLU (Keras) is the layer above.",
        ),
    ),
    aliases=("parametric_relu",),
    cost="1 comparison, 1 multiplication",
    test_params=({"weight": 0.0}, {"weight": -0.5}, {"weight": 2.0}),
)


# -- RReLU ----------------------------------------------------------------------------
def _times_pair(v: F64, c: DD) -> F64:
    """``v·(c_hi + c_lo)`` rounded once (ties aside), for finite v and a double-double
    constant c with ``c_hi != 0``.

    The product with ``c_hi`` is exact as ``p + e`` (TwoProduct) and the low part only
    adds ``v·c_lo``, tiny beside it. TwoProduct's error term is itself rounded once the
    product falls below about 2^-969, so such products are computed on ``v·2^k``
    (exact) and scaled back by ``2^-k`` with a single rounding, subnormal results
    included (:func:`_scale`).
    """

    def normal(w: F64) -> F64:
        p, e = two_product(w, c[0])
        # p + tail overflows only when the exact product is beyond the rounding boundary
        # of the largest double: ±inf is then the correctly rounded result.
        with np.errstate(over="ignore"):
            return p + (e + w * c[1])

    def small(w: F64) -> F64:
        k = np.maximum(0, -900 - (np.frexp(w)[1] + np.frexp(c[0])[1]))
        ws = np.ldexp(w, k)
        p, e = two_product(ws, c[0])
        return _scale(two_sum(p, e + ws * c[1]), -k)

    tiny = np.abs(v) < 2.0**-900 / abs(float(c[0]))
    return piecewise(v, [tiny, ~tiny], [small, normal])


def _mean_slope(lower: float, upper: float) -> DD:
    """``(lower + upper)/2`` exactly, as a double-double (halving first cannot overflow)."""
    s, e = two_sum(np.array(0.5 * lower), np.array(0.5 * upper))
    return s, e


def _random_slopes(x: F64, lower: float, upper: float, rng: np.random.Generator) -> F64:
    # One draw per element, whatever its sign, so that the k-th element always gets the
    # k-th number of the generator's stream: value and derivative computed with
    # generators in the same state see the same slopes.
    return rng.uniform(lower, upper, size=x.shape)


def _rrelu(
    x: F64, lower: float, upper: float, training: bool, rng: np.random.Generator | None
) -> F64:
    r"""Training: ``a·x`` for ``x < 0`` with ``a ~ U(lower, upper)`` drawn per element.
    Evaluation: ``x·(lower + upper)/2``, with the mean slope kept exact as a double-double
    so that the product is rounded once (PyTorch rounds ``(lower + upper)/2`` first)."""
    if training:
        assert rng is not None  # _check_rrelu guarantees it
        return _leaky(x, _random_slopes(x, lower, upper, rng))
    slope = _mean_slope(lower, upper)
    if slope[0] == 0.0:
        return _leaky(x, 0.0)
    limit = -math.copysign(math.inf, float(slope[0]))
    return piecewise(
        x,
        [x >= 0, x == -np.inf, x < 0],
        [lambda v: v.copy(), limit, lambda v: _times_pair(v, slope)],
    )


def _rrelu_derivative(
    x: F64, lower: float, upper: float, training: bool, rng: np.random.Generator | None
) -> F64:
    if training:
        assert rng is not None  # _check_rrelu guarantees it
        return _leaky_derivative(x, _random_slopes(x, lower, upper, rng))
    # (lower + upper)/2 rounded once: the halves are exact (normal numbers), the sum rounds.
    return _leaky_derivative(x, 0.5 * lower + 0.5 * upper)


def _check_rrelu(params: Mapping[str, Any]) -> None:
    if params["lower"] > params["upper"]:
        raise ValueError(
            f"rrelu(): lower must be at most upper; got lower={params['lower']!r} and"
            f" upper={params['upper']!r}"
        )
    if params["training"] and params["rng"] is None:
        raise ValueError(
            "rrelu(): training=True draws a random slope for every element, so it needs a"
            " generator: pass rng=numpy.random.default_rng(seed) (a numpy.random.Generator)"
        )


def _rrelu_mean(params: Mapping[str, Any]) -> float:
    return 0.5 * params["lower"] + 0.5 * params["upper"]


rrelu = Activation(
    name="rrelu",
    display_name="RReLU",
    summary=(
        "Randomised leaky ReLU: a random negative slope in training, their mean at test time."
    ),
    family="rectifiers",
    kernel=_rrelu,
    derivative_kernel=_rrelu_derivative,
    latex=(
        r"f(x) = \begin{cases} x, & x \ge 0 \\ a x, & x < 0 \end{cases}, \quad"
        r" a \sim \mathcal{U}(l, u) \text{ (training)}, \quad a = \frac{l + u}{2}"
        r" \text{ (evaluation)}"
    ),
    derivative_latex=r"f'(x) = \begin{cases} 1, & x > 0 \\ a, & x < 0 \end{cases}",
    params=(
        Param(
            "lower",
            1.0 / 8.0,
            "Lower end of the uniform distribution of the negative slope.",
            latex="l",
            slider=(0.0, 1.0),
        ),
        Param(
            "upper",
            1.0 / 3.0,
            "Upper end of the uniform distribution of the negative slope.",
            latex="u",
            slider=(0.0, 1.0),
        ),
        Param(
            "training",
            False,
            "True draws a new slope for every element (training); False uses the mean"
            " slope (l + u)/2 (evaluation, deterministic).",
            kind="bool",
        ),
        Param(
            "rng",
            None,
            "The random generator for training=True (required then, ignored otherwise)."
            " The derivative draws its slopes the same way, one per element in order, so a"
            " generator in the same state (the same seed) reproduces the slopes of the"
            " forward pass.",
            kind="generator",
        ),
    ),
    check_params=_check_rrelu,
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0] if _rrelu_mean(p) != 1.0 else [],
            value=_rrelu_mean,
            point_latex=r"x = 0",
            value_latex=r"\frac{l + u}{2}",
            note=(
                "In evaluation PyTorch calls leaky_relu with the slope (l + u)/2, whose"
                " backward uses that slope at 0. In training PyTorch draws a slope for"
                " every x ≤ 0, so the gradient at 0 is that element's random slope; here"
                " too."
            ),
        ),
    ),
    origin=Origin(
        authors="B. Xu, N. Wang, T. Chen and M. Li",
        year=2015,
        title="Empirical Evaluation of Rectified Activations in Convolutional Network",
        venue="arXiv:1505.00853",
        url="https://arxiv.org/abs/1505.00853",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "torch.nn.functional.rrelu",
            defaults="lower=1/8, upper=1/3, training=False",
            notes=(
                "Also torch.nn.RReLU, which follows the module's train()/eval() mode. Draws"
                " from PyTorch's global generator (on the CPU only for the elements x ≤ 0),"
                " and in evaluation rounds (l + u)/2 before multiplying, so its result can"
                " be an ulp off."
            ),
        ),
        FrameworkName("JAX", "", notes="No built-in randomised ReLU."),
        FrameworkName("Keras 3", "", notes="No built-in randomised ReLU."),
        FrameworkName(
            "TensorFlow",
            "",
            notes=(
                "No built-in; the discontinued TensorFlow Addons had"
                " tfa.activations.rrelu."
            ),
        ),
    ),
    aliases=("randomized_relu", "randomised_relu", "randomized_leaky_relu"),
    cost="1 comparison, 1 multiplication (training: 1 uniform draw)",
    test_params=({"lower": 0.1, "upper": 0.7}, {"lower": 0.3, "upper": 0.3}),
)


# -- SReLU ----------------------------------------------------------------------------
def _line(x: F64, t: float, a: float) -> F64:
    """``t + a(x - t)``, the line of slope a through (t, t), for any x but NaN.

    ``x - t`` is exact as a TwoSum pair, ``a`` times its high part exact as a
    TwoProduct pair, and ``t`` plus that product exact as another TwoSum: the result is
    their sum rounded once, without the two or three roundings of the textbook form
    (ties aside, and unless the terms cancel to below about 2^-100 of t, which needs a
    negative slope or a threshold on the wrong side of 0). At ±inf it is the limit:
    ``a·x``, or t when a = 0.
    """
    if a == 0.0:
        return np.full(x.shape, t)

    def rounded(v: F64, q: float) -> tuple[F64, F64]:
        # t·q + a(v·q - t·q), and whether x - t or a(x - t) overflowed on the way.
        d, d_err = two_sum(v * q, -t * q)
        p, p_err = two_product(a, d)
        s, s_err = two_sum(t * q, p)
        # s + tail overflows only when the exact sum is beyond the rounding boundary of
        # the largest double: ±inf is then the correctly rounded result.
        with np.errstate(over="ignore"):
            return s + (s_err + (p_err + a * d_err)), np.isinf(d) | np.isinf(p)

    def scaled(v: F64) -> F64:
        # The same on x/4 and t/4, exact at the magnitudes (|x| or |t| near the largest
        # double) where x - t or a(x - t) overflows although the result need not: a
        # quarter of the result is representable unless the result itself overflows.
        r, _ = rounded(v, 0.25)
        over = np.abs(r) > np.finfo(np.float64).max / 4
        return np.where(over, np.copysign(np.inf, r), 4.0 * np.where(over, 0.0, r))

    def finite(v: F64) -> F64:
        r, overflowed = rounded(v, 1.0)
        if overflowed.any():
            r[overflowed] = scaled(v[overflowed])
        return r

    return piecewise(x, [np.isfinite(x), np.isinf(x)], [finite, lambda v: a * v])


def _srelu(x: F64, t_left: float, a_left: float, t_right: float, a_right: float) -> F64:
    # Inside (t_l, t_r) the identity, exactly; outside, a line rounded once (_line).
    return piecewise(
        x,
        [x >= t_right, x <= t_left, (x > t_left) & (x < t_right)],
        [
            lambda v: _line(v, t_right, a_right),
            lambda v: _line(v, t_left, a_left),
            lambda v: v.copy(),
        ],
    )


def _srelu_derivative(
    x: F64, t_left: float, a_left: float, t_right: float, a_right: float
) -> F64:
    # The outer slopes at the thresholds themselves (the paper's ≥ and ≤ branches).
    slope = np.where(x >= t_right, a_right, np.where(x <= t_left, a_left, 1.0))
    return _nan_or(x, slope)


def _check_srelu(params: Mapping[str, Any]) -> None:
    if params["t_left"] > params["t_right"]:
        raise ValueError(
            f"srelu(): t_left must be at most t_right; got t_left={params['t_left']!r} and"
            f" t_right={params['t_right']!r}"
        )


srelu = Activation(
    name="srelu",
    display_name="SReLU",
    summary=(
        "S-shaped ReLU: the identity between two thresholds and lines of other slopes"
        " outside them."
    ),
    family="rectifiers",
    kernel=_srelu,
    derivative_kernel=_srelu_derivative,
    latex=(
        r"f(x) = \begin{cases} t_r + a_r (x - t_r), & x \ge t_r \\ x, & t_l < x < t_r \\"
        r" t_l + a_l (x - t_l), & x \le t_l \end{cases}"
    ),
    derivative_latex=(
        r"f'(x) = \begin{cases} a_r, & x > t_r \\ 1, & t_l < x < t_r \\ a_l, & x < t_l"
        r" \end{cases}"
    ),
    params=(
        Param(
            "t_left",
            -1.0,
            "Left threshold: below it the slope is a_left.",
            latex="t_l",
            slider=(-3.0, 0.0),
        ),
        Param(
            "a_left",
            0.1,
            "Slope left of t_left.",
            latex="a_l",
            slider=(-1.0, 2.0),
        ),
        Param(
            "t_right",
            1.0,
            "Right threshold: above it the slope is a_right.",
            latex="t_r",
            slider=(0.0, 3.0),
        ),
        Param(
            "a_right",
            0.1,
            "Slope right of t_right.",
            latex="a_r",
            slider=(-1.0, 2.0),
        ),
    ),
    check_params=_check_srelu,
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=0,
        zero_centred=True,
        saturating="no",
        identity_near_origin=True,
    ),
    kinks=(
        Kink(
            points=lambda p: [p["t_left"]] if p["a_left"] != 1.0 else [],
            value=lambda p: float(p["a_left"]),
            point_latex=r"x = t_l \ (a_l \ne 1)",
            value_latex="a_l",
            note=(
                "No framework ships SReLU, so there is no PyTorch convention to follow: the"
                " paper puts each threshold in the outer piece (x ≤ t_l, x ≥ t_r), and the"
                " derivative there is the outer slope, as PyTorch does for leaky ReLU (the"
                " slope side at 0) and hardtanh (0 at its corners)."
            ),
        ),
        Kink(
            points=lambda p: [p["t_right"]] if p["a_right"] != 1.0 else [],
            value=lambda p: float(p["a_right"]),
            point_latex=r"x = t_r \ (a_r \ne 1)",
            value_latex="a_r",
            note="The outer slope, as at t_l.",
        ),
    ),
    origin=Origin(
        authors="X. Jin, C. Xu, J. Feng, Y. Wei, J. Xiong and S. Yan",
        year=2016,
        title="Deep Learning with S-shaped Rectified Linear Activation Units",
        venue="AAAI 2016",
        url="https://arxiv.org/abs/1512.07030",
    ),
    frameworks=(
        FrameworkName(
            "PyTorch", "", notes="No built-in; three torch.where branches give the same values."
        ),
        FrameworkName("JAX", "", notes="No built-in; jnp.where as for PyTorch."),
        FrameworkName(
            "Keras 3",
            "",
            notes=(
                "No built-in. Keras 2's add-on keras-contrib had a layer SReLU (t_left"
                " initialised to 0, a_left uniform in [0, 1], t_right uniform in [0, 5],"
                " a_right 1), which uses t_left + |t_right| as the right threshold so the"
                " two can never cross."
            ),
        ),
        FrameworkName("TensorFlow", "", notes="No built-in."),
    ),
    aliases=("s_shaped_relu",),
    cost="2 comparisons, 1 multiplication",
    test_params=(
        {"t_left": 0.0, "a_left": 0.2, "t_right": 3.0, "a_right": 1.0},
        {"t_left": -2.0, "a_left": 0.0, "t_right": 0.5, "a_right": 1.5},
    ),
)


# -- squared ReLU ---------------------------------------------------------------------
def _square(v: F64) -> F64:
    # One rounding. Beyond about 1.34e154 the square is above the largest double, and
    # its overflow to inf is the correctly rounded result, not a fault.
    with np.errstate(over="ignore"):
        return v * v


def _twice(v: F64) -> F64:
    # Exact, or beyond the largest double (x > 8.99e307), where inf is correctly rounded.
    with np.errstate(over="ignore"):
        return 2.0 * v


def _squared_relu(x: F64) -> F64:
    return piecewise(x, [x > 0, x <= 0], [_square, 0.0])


def _squared_relu_derivative(x: F64) -> F64:
    return piecewise(x, [x > 0, x <= 0], [_twice, 0.0])


squared_relu = Activation(
    name="squared_relu",
    display_name="Squared ReLU",
    summary="ReLU squared: 0 for negative inputs and x² for positive ones.",
    family="rectifiers",
    kernel=_squared_relu,
    derivative_kernel=_squared_relu_derivative,
    latex=r"f(x) = \max(0, x)^2 = \begin{cases} x^2, & x > 0 \\ 0, & x \le 0 \end{cases}",
    derivative_latex=r"f'(x) = 2\max(0, x) = \begin{cases} 2x, & x > 0 \\ 0, & x \le 0 \end{cases}",
    properties=Properties(
        range=Interval(0.0, math.inf, low_closed=True),
        monotonic=True,
        continuity=1,
        zero_centred=False,
        saturating="left",
    ),
    origin=Origin(
        authors="D. R. So, W. Mańke, H. Liu, Z. Dai, N. Shazeer and Q. V. Le",
        year=2021,
        title="Primer: Searching for Efficient Transformers for Language Modeling",
        venue="NeurIPS 2021",
        url="https://arxiv.org/abs/2109.08668",
    ),
    frameworks=(
        FrameworkName("PyTorch", "", notes="No built-in; torch.square(torch.relu(x))."),
        FrameworkName("JAX", "", notes="No built-in; jnp.square(jax.nn.relu(x))."),
        FrameworkName("Keras 3", "", notes="No built-in; keras.ops.square(keras.ops.relu(x))."),
        FrameworkName("TensorFlow", "", notes="No built-in; tf.square(tf.nn.relu(x))."),
    ),
    aliases=("relu_squared", "relu2"),
    cost="1 comparison, 1 multiplication",
)


# -- sparse plus ----------------------------------------------------------------------
def _sparse_plus(x: F64) -> F64:
    r"""``(x + 1)²/4`` on (-1, 1): ``x + 1 = s + e`` exactly (TwoSum), ``s²`` exactly
    (TwoProduct), so ``(s + e)² = s² + 2se + e²`` is summed with one final rounding; the
    division by 4 is exact (the result is at least 2^-108, far from the subnormals)."""

    def parabola(v: F64) -> F64:
        s, e = two_sum(v, 1.0)
        p, p_err = two_product(s, s)
        return 0.25 * (p + ((p_err + 2.0 * s * e) + e * e))

    return piecewise(x, [x <= -1.0, x >= 1.0, x < 1.0], [0.0, lambda v: v.copy(), parabola])


def _sparse_plus_derivative(x: F64) -> F64:
    # (x + 1)/2 on (-1, 1): one rounding, halving exact. It is 0 at -1 and 1 at 1 from
    # both sides, so f' is continuous and there is no kink.
    return piecewise(
        x, [x <= -1.0, x >= 1.0, x < 1.0], [0.0, 1.0, lambda v: 0.5 * (v + 1.0)]
    )


sparse_plus = Activation(
    name="sparse_plus",
    display_name="Sparse plus",
    summary=(
        "A sparse softplus: exactly 0 up to -1, exactly x from 1 on, and the parabola"
        " (x + 1)²/4 joining them."
    ),
    family="rectifiers",
    kernel=_sparse_plus,
    derivative_kernel=_sparse_plus_derivative,
    latex=(
        r"f(x) = \begin{cases} 0, & x \le -1 \\ \frac{1}{4}(x + 1)^2, & -1 < x < 1 \\ x,"
        r" & x \ge 1 \end{cases}"
    ),
    derivative_latex=(
        r"f'(x) = \begin{cases} 0, & x \le -1 \\ \frac{x + 1}{2}, & -1 < x < 1 \\ 1,"
        r" & x \ge 1 \end{cases}"
    ),
    properties=Properties(
        range=Interval(0.0, math.inf, low_closed=True),
        monotonic=True,
        continuity=1,
        zero_centred=False,
        saturating="left",
    ),
    origin=Origin(
        authors="M. Blondel, A. F. T. Martins and V. Niculae",
        year=2020,
        title="Learning with Fenchel-Young Losses",
        venue="Journal of Machine Learning Research 21",
        url="https://arxiv.org/abs/1901.02324",
    ),
    frameworks=(
        FrameworkName("PyTorch", "", notes="No built-in."),
        FrameworkName(
            "JAX",
            "jax.nn.sparse_plus",
            notes="Its derivative is jax.nn.sparse_sigmoid, clip((x + 1)/2, 0, 1).",
        ),
        FrameworkName(
            "Keras 3",
            "keras.activations.sparse_plus",
            notes=(
                "Also keras.ops.sparse_plus. Keras gives no reference for it; its derivative"
                " keras.activations.sparse_sigmoid cites Blondel, Martins and Niculae."
            ),
        ),
        FrameworkName(
            "TensorFlow",
            "",
            notes="No tf.nn version; tf.keras.activations.sparse_plus (Keras 3) has it.",
        ),
    ),
    aliases=("sparseplus",),
    cost="2 comparisons, 1 addition, 1 multiplication",
)


# -- absolute value -------------------------------------------------------------------
def _absolute(x: F64) -> F64:
    return np.abs(x)


def _absolute_derivative(x: F64) -> F64:
    # sign(x): -1, 1, and 0 at 0 (torch.abs's backward); NaN stays NaN.
    return np.sign(x)


absolute = Activation(
    name="absolute",
    display_name="Absolute value",
    summary="|x|: the input with its sign dropped (absolute value rectification).",
    family="rectifiers",
    kernel=_absolute,
    derivative_kernel=_absolute_derivative,
    latex=r"f(x) = |x|",
    derivative_latex=r"f'(x) = \operatorname{sign}(x) \quad (x \ne 0)",
    properties=Properties(
        range=Interval(0.0, math.inf, low_closed=True),
        monotonic=False,
        continuity=0,
        zero_centred=False,
        saturating="no",
    ),
    kinks=(
        Kink(
            points=lambda p: [0.0],
            value=zero_slope,
            point_latex="x = 0",
            value_latex="0",
            note=(
                "torch.abs's backward multiplies by sign(x), which is 0 at 0, and so does"
                " TensorFlow's. JAX's rule is select(x >= 0, g, -g), which gives 1 at 0."
            ),
        ),
    ),
    origin=Origin(
        authors="K. Jarrett, K. Kavukcuoglu, M. Ranzato and Y. LeCun",
        year=2009,
        title="What is the Best Multi-Stage Architecture for Object Recognition?",
        venue="ICCV 2009",
        url="https://doi.org/10.1109/ICCV.2009.5459469",
    ),
    frameworks=(
        FrameworkName("PyTorch", "torch.abs"),
        FrameworkName("JAX", "jax.numpy.abs"),
        FrameworkName("Keras 3", "keras.ops.absolute", notes="Also keras.ops.abs."),
        FrameworkName("TensorFlow", "tf.math.abs", notes="Also tf.abs."),
    ),
    aliases=("abs", "absolute_value"),
    cost="none (a sign bit)",
)


# -- bent identity --------------------------------------------------------------------
#: Below 2^-60, f(x) = x + x²/4 - ... rounds to x and f'(x) = 1 + x/2 - ... to 1.
_BENT_TINY = 2.0**-60
#: From 2^27 on, f(x) = x + |x|/2 - 1/2 + δ with 0 < δ = (√(x² + 1) - |x|)/2 < 2^-29,
#: less than the spacing of the multiples of ulp(x)/2 that x + |x|/2 - 1/2 lies on.
_BENT_LARGE = 2.0**27
#: From 2^60 on, -1/2 + δ is below half an ulp of x + |x|/2 as well, and f' is 3/2 or
#: 1/2 to 120 bits.
_BENT_HUGE = 2.0**60
#: The x > 0 whose 3x/2 is exactly the midpoint between the largest double and 2^1024:
#: f(x) lies just below it (by 1/2), so it rounds to the largest double, not to inf.
_BENT_LAST = 6004799503160661.0 * 2.0**971


def _bent_parts(v: F64) -> tuple[DD, DD]:
    """``x²`` and ``h = √(1 + x²)`` as double-doubles, for ``2^-60 <= |x| < 2^60``: the
    square is exact (TwoProduct), and the root of ``1 + x²`` is corrected by one Newton
    step from the exact remainder ``(1 + x²) - r²``."""
    sq = two_product(v, v)
    s, e = two_sum(1.0, sq[0])
    q_hi, q_lo = two_sum(s, e + sq[1])
    root = np.sqrt(q_hi)
    p, p_err = two_product(root, root)
    return sq, two_sum(root, (((q_hi - p) - p_err) + q_lo) / (2.0 * root))


def _bent_identity(x: F64) -> F64:
    r"""``x + x²/(2(√(x² + 1) + 1))``: the same as ``x + (√(x² + 1) - 1)/2`` without its
    cancellation near 0, in double-double and rounded once.

    For large |x| the result can lie within 2^-108 of a midpoint between two doubles
    (x = 8019447960956737 is one), closer than a double-double resolves. There the
    expansion ``x + |x|/2 - 1/2 + δ`` is used instead, with ``0 < δ`` too small to move
    the result except at a tie: ``x + |x|/2`` exactly by TwoSum, then ``-1/2`` (exactly,
    below 2^60, breaking no ties itself; δ breaks them upwards) or, from 2^60 on, where
    ``-1/2 + δ`` only breaks ties, and breaks them downwards. That also avoids ``x²``,
    which overflows from 1.3e154.
    """

    def middle(v: F64) -> F64:
        sq, h = _bent_parts(v)
        # d = 2(h + 1), doubling exact
        d_hi, d_lo = two_sum(h[0], 1.0)
        d_hi, d_lo = two_sum(2.0 * d_hi, 2.0 * (d_lo + h[1]))
        # g = x²/d: quotient corrected by its exact remainder
        g = sq[0] / d_hi
        p, p_err = two_product(g, d_hi)
        g_lo = (((sq[0] - p) - p_err) + sq[1] - g * d_lo) / d_hi
        s, e = two_sum(v, g)
        return s + (e + g_lo)

    def large(v: F64) -> F64:
        # x + |x|/2 = s + e exactly; e - 1/2 is exact (both are multiples of 2^-27 below
        # 2^9), and r + r_err = x + |x|/2 - 1/2 exactly. δ > 0 decides a tie upwards.
        s, e = two_sum(v, 0.5 * np.abs(v))
        r, r_err = two_sum(s, e - 0.5)
        up = np.nextafter(r, np.inf)
        return np.where((r_err > 0) & (2.0 * r_err == up - r), up, r)

    def huge_positive(v: F64) -> F64:
        # 3x/2 = s + e exactly; -1/2 + δ is below half an ulp of s and only decides ties,
        # which it breaks downwards. Where 3x/2 overflows, s is inf (e = 0).
        s, e = two_sum(v, 0.5 * v)
        below = np.nextafter(s, 0.0)
        tie = (e < 0) & (2.0 * e == below - s)
        return np.where(v == _BENT_LAST, np.finfo(np.float64).max, np.where(tie, below, s))

    a = np.abs(x)
    return piecewise(
        x,
        [a < _BENT_TINY, a < _BENT_LARGE, a < _BENT_HUGE, x > 0, x < 0],
        [lambda v: v.copy(), middle, large, huge_positive, lambda v: 0.5 * v],
    )


def _bent_identity_derivative(x: F64) -> F64:
    r"""``1 + x/(2√(x² + 1))`` in double-double, rounded once; it lies in (1/2, 3/2), so
    the subtraction for x < 0 loses at most one bit of the 106."""

    def middle(v: F64) -> F64:
        _, h = _bent_parts(v)
        d_hi, d_lo = 2.0 * h[0], 2.0 * h[1]
        r = v / d_hi
        p, p_err = two_product(r, d_hi)
        r_lo = (((v - p) - p_err) - r * d_lo) / d_hi
        s, e = two_sum(1.0, r)
        return s + (e + r_lo)

    a = np.abs(x)
    return piecewise(
        x,
        [a < _BENT_TINY, x >= _BENT_HUGE, x <= -_BENT_HUGE, a < _BENT_HUGE],
        [1.0, 1.5, 0.5, middle],
    )


bent_identity = Activation(
    name="bent_identity",
    display_name="Bent identity",
    summary=(
        "x + (√(x² + 1) - 1)/2: the identity bent smoothly, slope 1/2 far left and 3/2"
        " far right."
    ),
    family="rectifiers",
    kernel=_bent_identity,
    derivative_kernel=_bent_identity_derivative,
    latex=r"f(x) = \frac{\sqrt{x^2 + 1} - 1}{2} + x",
    derivative_latex=r"f'(x) = \frac{x}{2\sqrt{x^2 + 1}} + 1",
    properties=Properties(
        range=Interval(-math.inf, math.inf),
        monotonic=True,
        continuity=SMOOTH,
        zero_centred=True,
        saturating="no",
        identity_near_origin=True,
    ),
    origin=Origin(
        authors="D. Sheehan",
        year=2017,
        title="Visualising Activation Functions in Neural Networks",
        venue="Blog post with an interactive catalogue of activation functions",
        url=(
            "https://dashee87.github.io/deep%20learning/"
            "visualising-activation-functions-in-neural-networks/"
        ),
    ),
    frameworks=(
        FrameworkName(
            "PyTorch",
            "",
            notes="No built-in; (torch.sqrt(x * x + 1) - 1) / 2 + x cancels near 0 and"
            " overflows (x * x) beyond 1.3e154.",
        ),
        FrameworkName("JAX", "", notes="No built-in."),
        FrameworkName("Keras 3", "", notes="No built-in."),
        FrameworkName("TensorFlow", "", notes="No built-in."),
    ),
    cost="1 sqrt",
)


#: The records of this module, in teaching order.
RECORDS = (
    relu,
    relu6,
    leaky_relu,
    prelu,
    rrelu,
    srelu,
    squared_relu,
    sparse_plus,
    absolute,
    bent_identity,
)
