"""The vector-valued activations: softmax, log-softmax and the gated linear units.

What is measured, and the bounds (float64 unless said otherwise; the worst errors
measured when the bounds were set are in brackets):

* values against mpmath (``tests/references/vector.py``, 60 digits) on random vectors
  of lengths 1 to 40 and scales 1 to 1e3, and on extreme ones (one entry dominating by
  700 to 760, ``[1e-20, 0]``, ``±1e308``, subnormals, 1000 equal entries, the gates' tails
  and roots): at most ``VALUE_MAX_ULP`` = 2 ulp [0.98, GEGLU; 0.50 for the others];
  float32 and float16 results within 1 ulp of their own format [0.50];
* Jacobian entries against mpmath on the same kind of vectors: at most 2 ulp [1.50,
  softmax];
* vector-Jacobian products against mpmath, cotangents of scale 1 and 1e±300: at most
  2 ulp of ``Σ_i |v_i J_ij|`` [1.23, GEGLU] (an exact product rounded once is within
  0.5 of those), and within 2 ulp of the exact value itself where one entry dominates;
* values, Jacobian and VJP against ``torch.autograd`` (float64) on random inputs of
  shapes ``(6,)``, ``(4, 6)``, ``(2, 4, 6)`` along every axis: ``rtol = 1e-12``; the VJP
  equals ``vᵀJ`` (``rtol = 1e-13``); softmax and log-softmax Jacobian rows sum to 0;
* the edge cases the module docstring promises: 0-d, empty and N-d shapes, odd lengths,
  ±inf and NaN, no RuntimeWarning on any input, the input never modified, and the errors
  raised for a bad axis or a non-real input.

torch is optional: its tests skip when it is not installed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
import pytest
from numpy.typing import NDArray

import activations
from activations import VectorActivation

from .accuracy import ulp_errors
from .references import vector as reference

SOFTMAX = ("softmax", "log_softmax")
GATED = ("glu", "swiglu", "geglu", "reglu")
NAMES = SOFTMAX + GATED

VALUE_MAX_ULP = 2.0
JACOBIAN_MAX_ULP = 2.0
VJP_MAX_ULP = 2.0  # in ulps of Σ_i |v_i J_ij|
LOW_PRECISION_MAX_ULP = 1.0  # float32 and float16, in ulps of their own format
TORCH_RTOL = 1e-12

F64 = NDArray[np.float64]

by_name = pytest.mark.parametrize("name", NAMES)
softmax_like = pytest.mark.parametrize("name", SOFTMAX)
gated_only = pytest.mark.parametrize("name", GATED)


def _record(name: str) -> VectorActivation:
    record = activations.get(name)
    assert isinstance(record, VectorActivation)
    return record


# -- inputs --------------------------------------------------------------------------------
def _softmax_vectors(many: bool = True) -> list[F64]:
    """Random score vectors and extreme ones, each a 1-d float64 array."""
    rng = np.random.default_rng(20260)
    vectors: list[Any] = []
    if many:
        for n in (1, 2, 3, 5, 8, 17, 40):
            for scale in (1.0, 10.0, 100.0, 1000.0):
                vectors += [rng.normal(size=n) * scale for _ in range(2)]
    vectors += [
        [0.0, -800.0],  # log-softmax of the maximum: -e^-800, below every double
        [0.0, -700.0],  # -e^-700 = -9.86e-305: lost by log(1 + S), kept by log1p(S)
        [1e-20, 0.0],
        [0.0, 1e-20, -1e-20],
        [0.0, -37.0],
        [0.0, -744.5, -745.5],
        [1e308, -1e308],
        [1.7e308, 1.7e308, -1.7e308],
        [5e-324, 0.0, -5e-324],
        [1.0, 1.0 + 2.0**-52],
        [1e300, np.nextafter(1e300, 0.0)],
        [700.0, -700.0, 0.0],
        [-1000.0, -1001.0],
        -7.5 * np.arange(40.0),
        np.full(1000, 3.0),
    ]
    vectors += [np.concatenate([[0.0], -rng.uniform(700, 760, size=5)]) for _ in range(4)]
    vectors += [np.concatenate([[0.0], -rng.uniform(30, 40, size=3)]) for _ in range(4)]
    vectors += [np.concatenate([[0.0], rng.uniform(-1e-10, 0.0, size=3)]) for _ in range(4)]
    vectors += [rng.normal(size=4) * scale for scale in (1e5, 1e10, 1e300)]
    return [np.asarray(v, dtype=np.float64) for v in vectors]


#: Half-inputs for the gated units: moderate, the gates' tails and switch points, the
#: roots of silu' and gelu', tiny and huge magnitudes, signed zeros.
_GATE_POINTS = np.concatenate(
    [
        np.linspace(-8.0, 8.0, 33),
        -np.logspace(-320, 308, 30),
        np.logspace(-320, 308, 30),
        [0.0, -0.0, -36.9, -37.0, -37.5, -40.0, -80.0, -81.0, -745.0, -750.0, -3000.0, -3001.0],
        [745.0, 3000.0, -0.7517915246935645, -1.2784645427610737, -1.2784645427610735],
    ]
)


def _gated_vectors(count: int = 120) -> list[F64]:
    """(a, b) vectors of length 6 drawn from the points above, and random ones."""
    rng = np.random.default_rng(7)
    vectors = [
        np.concatenate([rng.choice(_GATE_POINTS, 3), rng.choice(_GATE_POINTS, 3)])
        for _ in range(count)
    ]
    vectors += [rng.normal(size=8) * scale for scale in (1.0, 5.0, 50.0) for _ in range(3)]
    return vectors


def _vectors(name: str, many: bool = True) -> list[F64]:
    return _softmax_vectors(many) if name in SOFTMAX else _gated_vectors(120 if many else 40)


# -- references --------------------------------------------------------------------------
def _exact(name: str, x: F64) -> list[mp.mpf]:
    with mp.workdps(60):
        if name == "softmax":
            return reference.softmax(x)
        if name == "log_softmax":
            return reference.log_softmax(x)
        return reference.gated(name, x)


def _exact_jacobian(name: str, x: F64) -> list[list[mp.mpf]]:
    with mp.workdps(60):
        if name == "softmax":
            return reference.softmax_jacobian(x)
        if name == "log_softmax":
            return reference.log_softmax_jacobian(x)
        return reference.gated_jacobian(name, x)


def _report(label: str, x: F64, errors: F64) -> str:
    i = int(np.argmax(errors))
    return f"{label}: {errors[i]:.3g} ulp at entry {i} of x={x.tolist()!r}"


# -- values against mpmath -----------------------------------------------------------------
@by_name
def test_values_are_within_two_ulp_of_mpmath(name: str) -> None:
    record = _record(name)
    worst = 0.0
    for x in _vectors(name):
        errors = ulp_errors(record(x), _exact(name, x))
        assert errors.max(initial=0.0) <= VALUE_MAX_ULP, _report(name, x, errors)
        worst = max(worst, errors.max(initial=0.0))
    print(f"{name}: worst value error {worst:.3f} ulp")


def test_log_softmax_keeps_the_digits_of_a_dominant_entry() -> None:
    """log_softmax(max) = -log1p(S) is tiny when one entry dominates: log(1 + S), or
    softmax followed by log, return 0 or lose every digit."""
    f = activations.log_softmax
    assert f([0.0, -800.0])[1] == -800.0
    for values in ([0.0, -700.0], [0.0, -40.0], [1e-20, 0.0], [5.0, 5.0 - 1e-15], [0.0, -1.0]):
        x = np.array(values)
        errors = ulp_errors(f(x), _exact("log_softmax", x))
        assert errors.max() <= 1.0, _report("log_softmax", x, errors)
    assert f([0.0, -700.0])[0] == pytest.approx(-np.exp(-700.0), rel=1e-15)
    assert f([0.0, -700.0])[0] != 0.0


@by_name
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_low_precision_in_low_precision_out_within_one_ulp(name: str, dtype: type) -> None:
    record = _record(name)
    rng = np.random.default_rng(3)
    info = np.finfo(dtype)
    vectors = [rng.normal(size=8) * scale for scale in (0.1, 1.0, 10.0, 100.0)]
    vectors += [np.array([float(info.max), -float(info.max), float(info.tiny), 0.0])]
    vectors += [np.array([float(info.smallest_subnormal), 1.0, -12.0, 3.0])]
    for raw in vectors:
        x: NDArray[Any] = raw.astype(dtype)
        out = record(x)
        assert out.dtype == dtype
        errors = ulp_errors(out, _exact(name, x.astype(np.float64)), dtype)
        assert errors.max() <= LOW_PRECISION_MAX_ULP, _report(
            f"{name} {np.dtype(dtype)}", x, errors
        )
        v = np.ones(out.shape, dtype=dtype)
        assert record.jacobian(x).dtype == dtype
        assert record.vjp(x, v).dtype == dtype


# -- Jacobian and VJP against mpmath --------------------------------------------------------
@by_name
def test_jacobian_is_within_two_ulp_of_mpmath(name: str) -> None:
    record = _record(name)
    for x in _vectors(name, many=False):
        if x.size > 40:
            continue
        exact = [entry for row in _exact_jacobian(name, x) for entry in row]
        got = record.jacobian(x)
        assert got.shape == (len(_exact(name, x)), x.size)
        errors = ulp_errors(got.ravel(), exact)
        assert errors.max(initial=0.0) <= JACOBIAN_MAX_ULP, _report(f"{name} jacobian", x, errors)


@by_name
def test_vjp_is_within_two_ulp_of_its_condition_scale(name: str) -> None:
    """The VJP against ``Σ_i v_i J_ij`` in mpmath, the error in ulps of
    ``Σ_i |v_i J_ij|``: a sum whose terms cancel cannot be asked for more."""
    record = _record(name)
    rng = np.random.default_rng(11)
    for k, x in enumerate(_vectors(name, many=False)):
        if x.size > 40:
            continue
        jacobian = _exact_jacobian(name, x)
        for scale in (1.0, (1e-300, 1e300)[k % 2]):
            v = rng.normal(size=len(jacobian)) * scale
            got = record.vjp(x, v)
            with mp.workdps(60):
                exact = reference.vjp(jacobian, v)
                sizes = [
                    float(
                        mp.fsum(
                            abs(mp.mpf(float(vi)) * row[j])
                            for vi, row in zip(v, jacobian, strict=True)
                        )
                    )
                    for j in range(x.size)
                ]
            errors = ulp_errors(got, exact, scale=sizes.__getitem__)
            assert errors.max(initial=0.0) <= VJP_MAX_ULP, _report(
                f"{name} vjp, v={v.tolist()}", x, errors
            )


@softmax_like
def test_vjp_is_exact_when_one_entry_dominates(name: str) -> None:
    """PyTorch's backward, s ⊙ (v - s·v), cancels to 0 here: the gradient is tiny but
    representable, and the VJP returns it (also next to a huge cotangent)."""
    record = _record(name)
    cases = [
        ([0.0, -100.0], [1.0, 2.0]),
        ([0.0, -100.0], [1.0, 0.0]),  # log-softmax: 1 - s_0 = e^-100 / (1 + e^-100)
        ([0.0, -800.0], [0.0, 1e300]),
        ([0.0, -800.0], [1e300, 0.0]),  # log-softmax: 1e300 (1 - s_0), 1 - s_0 = e^-800
        ([0.0, -750.0, -760.0], [3e300, -1e300, 2.0]),
    ]
    for scores, cotangent in cases:
        x, v = np.array(scores), np.array(cotangent)
        got = record.vjp(x, v)
        exact = reference.vjp(_exact_jacobian(name, x), v)
        errors = ulp_errors(got, exact)
        assert errors.max() <= VJP_MAX_ULP, _report(f"{name} vjp, v={v.tolist()}", x, errors)
    assert activations.softmax.vjp([0.0, -100.0], [1.0, 2.0])[0] < 0
    assert activations.log_softmax.vjp([0.0, -100.0], [1.0, 0.0])[0] > 0


# -- Jacobian and VJP: structure --------------------------------------------------------------
SHAPES_AND_AXES = [
    ((6,), -1),
    ((6,), 0),
    ((4, 6), 0),
    ((4, 6), 1),
    ((4, 6), -1),
    ((2, 4, 6), 0),
    ((2, 4, 6), 1),
    ((2, 4, 6), -1),
]
shapes_and_axes = pytest.mark.parametrize(("shape", "axis"), SHAPES_AND_AXES, ids=lambda v: str(v))


def _random(shape: tuple[int, ...], seed: int = 0) -> F64:
    return np.random.default_rng(seed).normal(size=shape) * 2.0


@by_name
@shapes_and_axes
def test_vjp_equals_cotangent_times_jacobian(name: str, shape: tuple[int, ...], axis: int) -> None:
    record = _record(name)
    x = _random(shape, 1)
    out = record(x, axis=axis)
    v = _random(out.shape, 2)
    jacobian = record.jacobian(x, axis=axis)
    assert jacobian.shape == out.shape + (shape[axis],)
    # J[..., i, ..., j]: the output index where `axis` is, the input index last.
    rows = np.moveaxis(jacobian, axis % len(shape), -2)
    product = np.einsum("...i,...ij->...j", np.moveaxis(v, axis, -1), rows)
    product = np.moveaxis(product, -1, axis)
    np.testing.assert_allclose(record.vjp(x, v, axis=axis), product, rtol=1e-13, atol=1e-15)


@softmax_like
@shapes_and_axes
def test_jacobian_rows_sum_to_zero(name: str, shape: tuple[int, ...], axis: int) -> None:
    """Softmax sums to 1 and log-softmax is invariant to adding a constant to every
    entry, so ``Σ_j ∂f_i/∂x_j = 0`` for both."""
    record = _record(name)
    x = _random(shape, 3)
    jacobian = record.jacobian(x, axis=axis)
    sums = jacobian.sum(axis=-1)
    np.testing.assert_allclose(sums, 0.0, atol=4 * shape[axis] * np.finfo(float).eps)
    assert np.abs(jacobian).max() > 0.01


@pytest.mark.parametrize("axis", [0, 2, -2])
@by_name
def test_nd_input_is_the_function_of_each_slice(name: str, axis: int) -> None:
    record = _record(name)
    x = _random((2, 4, 4), 4)
    moved = np.moveaxis(x, axis, -1)
    out = np.moveaxis(record(x, axis=axis), axis, -1)
    jacobian = np.moveaxis(record.jacobian(x, axis=axis), axis % x.ndim, -2)
    for index in np.ndindex(moved.shape[:-1]):
        np.testing.assert_array_equal(out[index], record(moved[index]))
        np.testing.assert_array_equal(jacobian[index], record.jacobian(moved[index]))


# -- against torch.autograd -----------------------------------------------------------------
def _torch() -> Any:
    torch = pytest.importorskip("torch", reason="torch is a test extra: pip install torch==2.13.0")
    torch.set_num_threads(1)
    return torch


def _torch_function(name: str, torch: Any, axis: int) -> Callable[[Any], Any]:
    """The PyTorch version of each function, with the halves of this package's records."""
    functional = torch.nn.functional
    if name == "softmax":
        return lambda t: functional.softmax(t, dim=axis)
    if name == "log_softmax":
        return lambda t: functional.log_softmax(t, dim=axis)
    if name == "glu":
        return lambda t: functional.glu(t, dim=axis)
    gate = {"swiglu": functional.silu, "geglu": functional.gelu, "reglu": functional.relu}[name]

    def gated(t: Any) -> Any:
        a, b = t.chunk(2, dim=axis)
        return gate(a) * b

    return gated


def _blocks(full: F64, out_shape: tuple[int, ...], in_shape: tuple[int, ...], axis: int) -> F64:
    """From torch's full Jacobian ``out.shape + x.shape``, the blocks along ``axis``
    in this package's layout ``out.shape + (n,)``."""
    axis = axis % len(in_shape)
    m, n = out_shape[axis], in_shape[axis]
    batch = int(np.prod(np.delete(np.array(in_shape), axis)))
    out_moved = np.moveaxis(full.reshape(out_shape + in_shape), axis, len(out_shape) - 1)
    both = np.moveaxis(out_moved, len(out_shape) + axis, -1)
    square = both.reshape(batch, m, batch, n)
    diagonal = square[np.arange(batch), :, np.arange(batch), :]  # (batch, m, n)
    batch_shape = tuple(np.delete(np.array(in_shape), axis))
    return np.moveaxis(diagonal.reshape(batch_shape + (m, n)), -2, axis)


@by_name
@shapes_and_axes
def test_values_jacobian_and_vjp_match_torch_autograd(
    name: str, shape: tuple[int, ...], axis: int
) -> None:
    torch = _torch()
    record = _record(name)
    x = _random(shape, 5)
    function = _torch_function(name, torch, axis)
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = function(tx)
    np.testing.assert_allclose(
        record(x, axis=axis), out.detach().numpy(), rtol=TORCH_RTOL, atol=1e-300
    )

    full = torch.autograd.functional.jacobian(
        function, torch.tensor(x, dtype=torch.float64)
    ).numpy()
    expected = _blocks(full, tuple(out.shape), shape, axis)
    np.testing.assert_allclose(record.jacobian(x, axis=axis), expected, rtol=TORCH_RTOL, atol=1e-15)

    v = _random(tuple(out.shape), 6)
    (grad,) = torch.autograd.grad(out, tx, grad_outputs=torch.tensor(v, dtype=torch.float64))
    np.testing.assert_allclose(
        record.vjp(x, v, axis=axis), grad.numpy(), rtol=TORCH_RTOL, atol=1e-15
    )


def test_the_halves_follow_pytorch_and_shazeer() -> None:
    """GLU gates the second half (PyTorch's glu); SwiGLU, GEGLU and ReGLU activate the
    first (Shazeer 2020: Swish(xW) ⊗ xV), and GEGLU's GELU is exact, not tanh."""
    torch = _torch()
    functional = torch.nn.functional
    x = _random((3, 8), 8)
    a, b = torch.tensor(x).chunk(2, dim=-1)
    expected = {
        "glu": a * torch.sigmoid(b),
        "swiglu": functional.silu(a) * b,
        "geglu": functional.gelu(a) * b,
        "reglu": functional.relu(a) * b,
    }
    for name, value in expected.items():
        np.testing.assert_allclose(_record(name)(x), value.numpy(), rtol=1e-14, atol=1e-300)
    swapped = functional.silu(b) * a
    assert not np.allclose(activations.swiglu(x), swapped.numpy())
    tanh_form = (functional.gelu(a, approximate="tanh") * b).numpy()
    assert np.abs(activations.geglu(x) - tanh_form).max() > 1e-5


def test_pytorch_gives_nan_for_an_inf_score_where_this_package_gives_the_limit() -> None:
    torch = _torch()
    x = [np.inf, 1.0, 2.0]
    assert torch.softmax(torch.tensor(x, dtype=torch.float64), 0).isnan().all()
    np.testing.assert_array_equal(activations.softmax(x), [1.0, 0.0, 0.0])


# -- edge cases --------------------------------------------------------------------------------
def test_infinite_scores_are_limits() -> None:
    inf, nan = np.inf, np.nan
    softmax, log_softmax = activations.softmax, activations.log_softmax
    # One +inf entry: the limit as it grows, 1 there and 0 elsewhere; derivatives 0.
    np.testing.assert_array_equal(softmax([inf, 1.0, 2.0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(log_softmax([inf, 1.0, 2.0]), [0.0, -inf, -inf])
    np.testing.assert_array_equal(softmax.jacobian([inf, 1.0]), np.zeros((2, 2)))
    np.testing.assert_array_equal(
        log_softmax.vjp([inf, 1.0, 2.0], [1.0, 2.0, 4.0]), [-6.0, 2.0, 4.0]
    )
    # Two +inf entries: their shares have no limit (NaN); the others are 0.
    np.testing.assert_array_equal(softmax([inf, inf, 1.0]), [nan, nan, 0.0])
    # -inf entries are left out; all -inf (a fully masked row) is NaN with 0 gradients.
    np.testing.assert_array_equal(softmax([-inf, 0.0, 0.0]), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(log_softmax([-inf, 0.0]), [-inf, 0.0])
    np.testing.assert_array_equal(log_softmax.vjp([-inf, 0.0], [3.0, 1.0]), [3.0, -3.0])
    for f in (softmax, log_softmax):
        assert np.isnan(f([-inf, -inf])).all()
        np.testing.assert_array_equal(f.jacobian([-inf, -inf]), np.zeros((2, 2)))
        np.testing.assert_array_equal(f.vjp([-inf, -inf], [1.0, 2.0]), [0.0, 0.0])
    # Huge finite scores do not overflow.
    np.testing.assert_array_equal(softmax([1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_array_equal(softmax([1.7e308, 1.7e308]), [0.5, 0.5])
    np.testing.assert_array_equal(log_softmax([1e308, -1e308]), [0.0, -inf])


def test_nan_poisons_its_own_slice_only() -> None:
    x = np.array([[np.nan, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.0]])
    for name in NAMES:
        record = _record(name)
        out, jacobian = record(x), record.jacobian(x)
        assert np.isnan(out[0]).any() and not np.isnan(out[1]).any(), name
        assert not np.isnan(jacobian[1]).any(), name
        grads = record.vjp(x, np.ones(out.shape))
        assert np.isnan(grads[0]).any() and not np.isnan(grads[1]).any(), name
    for name in SOFTMAX:
        assert np.isnan(_record(name)(x)[0]).all()
    bad_cotangent = activations.softmax.vjp(x[1:], np.array([[1.0, np.inf, 0.0, 0.0]]))
    assert np.isnan(bad_cotangent).all()


def test_gated_units_at_infinity_are_products_of_limits() -> None:
    inf = np.inf
    cases = {
        "glu": [
            ((inf, 0.0), inf),
            ((1.0, inf), 1.0),
            ((1.0, -inf), 0.0),
            ((inf, -inf), np.nan),
            ((0.0, inf), 0.0),
        ],
        "swiglu": [
            ((inf, 0.0), 0.0),
            ((-inf, 1.0), 0.0),
            ((-inf, inf), np.nan),
            ((0.0, inf), 0.0),
            ((-1.0, inf), -inf),
        ],
        "geglu": [
            ((inf, 2.0), inf),
            ((-inf, 1.0), 0.0),
            ((-inf, inf), np.nan),
            ((-1.0, inf), -inf),
        ],
        "reglu": [((-inf, inf), 0.0), ((-1.0, inf), 0.0), ((inf, -1.0), -inf), ((0.0, inf), 0.0)],
    }
    for name, pairs in cases.items():
        for pair, expected in pairs:
            np.testing.assert_array_equal(
                _record(name)(list(pair)), [expected], err_msg=f"{name}{pair}"
            )


@by_name
def test_zero_d_input_is_a_valueerror(name: str) -> None:
    """A scalar has no axis to work along (PyTorch's softmax returns 1 for it; here it
    is refused rather than given a meaning)."""
    record = _record(name)
    with pytest.raises(ValueError, match="at least a 1-d input"):
        record(1.0)
    with pytest.raises(ValueError, match="at least a 1-d input"):
        record.jacobian(np.float32(1.0))
    with pytest.raises(ValueError, match="at least a 1-d input"):
        record.vjp(np.array(1.0), np.array(1.0))


@by_name
@pytest.mark.parametrize(
    ("shape", "axis"), [((0,), 0), ((2, 0), -1), ((0, 4), -1), ((0, 4), 0), ((3, 0, 2), 1)]
)
def test_empty_inputs_give_empty_outputs(name: str, shape: tuple[int, ...], axis: int) -> None:
    record = _record(name)
    x = np.zeros(shape, dtype=np.float32)
    out = record(x, axis=axis)
    expected = list(shape)
    if name in GATED:
        expected[axis] //= 2
    assert out.shape == tuple(expected) and out.dtype == np.float32
    assert record.jacobian(x, axis=axis).shape == tuple(expected) + (shape[axis],)
    assert record.vjp(x, np.zeros(out.shape), axis=axis).shape == shape


@softmax_like
def test_a_slice_of_length_one(name: str) -> None:
    record = _record(name)
    x = np.array([[-np.inf], [-1e308], [0.0], [7.5], [np.inf]])
    expected = 1.0 if name == "softmax" else 0.0
    np.testing.assert_array_equal(record(x), np.full((5, 1), expected))
    np.testing.assert_array_equal(record.jacobian(x), np.zeros((5, 1, 1)))
    np.testing.assert_array_equal(record.vjp(x, np.ones((5, 1))), np.zeros((5, 1)))


@gated_only
def test_odd_length_is_a_valueerror_naming_it(name: str) -> None:
    record = _record(name)
    with pytest.raises(ValueError, match=rf"{name}\(\).*length 3 along axis -1.*even"):
        record(np.ones(3))
    with pytest.raises(ValueError, match="length 5 along axis 0"):
        record.jacobian(np.ones((5, 4)), axis=0)
    with pytest.raises(ValueError, match="length 3"):
        record.vjp(np.ones((2, 3)), np.ones((2, 1)))
    assert record(np.ones((5, 4)), axis=1).shape == (5, 2)


SPECIALS = [
    0.0,
    -0.0,
    np.inf,
    -np.inf,
    np.nan,
    1.0,
    -1.0,
    100.0,
    -800.0,
    "max",
    "-max",
    "tiny",
    "subnormal",
]


def _specials(dtype: type) -> F64:
    info = np.finfo(dtype)
    named = {
        "max": info.max,
        "-max": -info.max,
        "tiny": info.tiny,
        "subnormal": info.smallest_subnormal,
    }
    with np.errstate(over="ignore"):
        return np.array(
            [named.get(s, s) if isinstance(s, str) else s for s in SPECIALS], dtype=dtype
        )


@by_name
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_no_runtime_warning_for_any_input(name: str, dtype: type) -> None:
    """Every pair of special values (and slices of 4), as input and as cotangent."""
    record = _record(name)
    values = _specials(dtype)
    pairs = np.stack(np.meshgrid(values, values), axis=-1).reshape(-1, 2)
    quads = np.concatenate([pairs, pairs[::-1]], axis=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x in (pairs, quads, values[None, :4], values[None, 4:8], values[None, 8:12]):
            out = record(x)
            record.jacobian(x)
            record.jacobian(x[: 2 * (len(x) // 2)], axis=0)
            for cotangent in (np.ones(out.shape, dtype), np.resize(values, out.shape)):
                record.vjp(x, cotangent)


@by_name
def test_inputs_are_never_modified(name: str) -> None:
    record = _record(name)
    x = np.array([[-np.inf, -2.0, -0.0, 0.0, 1.5, np.inf], [np.nan, 3.0, -1.0, 2.0, 0.25, -5.0]])
    x.setflags(write=False)  # a read-only input must be accepted as well
    kept = x.copy()
    out = record(x)
    v = np.full(out.shape, 0.5)
    v.setflags(write=False)
    record.jacobian(x)
    record.vjp(x, v)
    record.vjp(x, np.ones(record(x, axis=0).shape), axis=0)
    np.testing.assert_array_equal(x, kept)
    np.testing.assert_array_equal(v, np.full(out.shape, 0.5))
    assert not np.shares_memory(out, x)


# -- bad input ---------------------------------------------------------------------------
@by_name
def test_axis_out_of_range_is_a_valueerror_naming_the_range(name: str) -> None:
    record = _record(name)
    x = np.ones((2, 4))
    for axis in (2, -3, 10):
        with pytest.raises(
            ValueError, match=rf"{name}\(\): axis {axis} is out of range.*allowed: -2 to 1"
        ):
            record(x, axis=axis)
        with pytest.raises(ValueError, match="allowed: -2 to 1"):
            record.jacobian(x, axis=axis)
        with pytest.raises(ValueError, match="allowed: -2 to 1"):
            record.vjp(x, x, axis=axis)
    with pytest.raises(TypeError, match="axis"):
        record(x, axis=1.0)
    with pytest.raises(TypeError, match="axis"):
        record(x, axis=True)
    with pytest.raises(TypeError, match="unexpected parameter"):
        record(x, dim=0)


@by_name
@pytest.mark.parametrize(
    "bad",
    [np.array([1 + 2j, 0.0]), "1.0", np.array(["a", "b"]), None, [1.0, None]],
    ids=["complex", "str", "str-array", "None", "object"],
)
def test_non_real_input_is_a_typeerror_naming_the_function(name: str, bad: Any) -> None:
    record = _record(name)
    with pytest.raises(TypeError, match=name):
        record(bad)
    with pytest.raises(TypeError, match=name):
        record.jacobian(bad)
    with pytest.raises(TypeError, match=name):
        record.vjp(bad, np.ones(2))
    with pytest.raises(TypeError, match=name):
        record.vjp(np.ones(2), bad)


@by_name
def test_elementwise_derivative_is_a_typeerror_pointing_to_jacobian_and_vjp(name: str) -> None:
    record = _record(name)
    with pytest.raises(TypeError, match=rf"{name}.jacobian.*{name}.vjp"):
        record.derivative(np.ones(4))


@by_name
def test_cotangent_of_the_wrong_shape_is_a_valueerror(name: str) -> None:
    record = _record(name)
    x = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"cotangent has shape \(3, 4, 1\)"):
        record.vjp(x, np.ones((3, 4, 1)))
