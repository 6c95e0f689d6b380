"""activations: every deep-learning activation function, exact, with its derivative and its facts.

Each activation is a record (:class:`Activation`, or :class:`VectorActivation` for the
ones acting along an axis) that is also the function: ``activations.relu(x)``,
``activations.relu.derivative(x)``. :func:`get` finds one by any of its names,
:func:`names` lists them in teaching order.
"""

from ._core import Activation, VectorActivation
from ._threshold import step, threshold, sign, identity
from ._sigmoidal import (
    sigmoid,
    tanh,
    hard_sigmoid,
    hard_tanh,
    softsign,
    log_sigmoid,
    arctan,
    lecun_tanh,
    symmetric_sigmoid,
    cloglog,
)
from ._rectifiers import (
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
from ._smooth_rectifiers import elu, selu, celu, softplus, squareplus
from ._gated import gelu, silu, hard_swish, mish
from ._shrink import hardshrink, softshrink, tanhshrink
from ._periodic import gaussian, sin, cos, sinc, snake
from ._vector import softmax, log_softmax, glu, swiglu, geglu, reglu
from ._registry import UnknownActivationError, aliases, get, names

__all__ = [
    "Activation",
    "VectorActivation",
    "UnknownActivationError",
    "aliases",
    "get",
    "names",
    "step",
    "threshold",
    "sign",
    "identity",
    "sigmoid",
    "tanh",
    "hard_sigmoid",
    "hard_tanh",
    "softsign",
    "log_sigmoid",
    "arctan",
    "lecun_tanh",
    "symmetric_sigmoid",
    "cloglog",
    "relu",
    "relu6",
    "leaky_relu",
    "prelu",
    "rrelu",
    "srelu",
    "squared_relu",
    "sparse_plus",
    "absolute",
    "bent_identity",
    "elu",
    "selu",
    "celu",
    "softplus",
    "squareplus",
    "gelu",
    "silu",
    "hard_swish",
    "mish",
    "hardshrink",
    "softshrink",
    "tanhshrink",
    "gaussian",
    "sin",
    "cos",
    "sinc",
    "snake",
    "softmax",
    "log_softmax",
    "glu",
    "swiglu",
    "geglu",
    "reglu",
]
