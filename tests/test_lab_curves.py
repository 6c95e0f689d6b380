"""activations.lab.curves: what the explorers draw is exactly what the records compute."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

import activations
from activations.lab import curves as curves_module
from activations.lab.curves import MAX_OVERLAY, MAX_POINTS, curves, overlay


def test_doctests() -> None:
    result = doctest.testmod(curves_module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", activations.names())
def test_every_function_gives_the_records_values(name: str) -> None:
    record = activations.get(name)
    c = curves(name, {}, -6.0, 6.0, 61)
    x = np.array(c["x"])
    assert len(c["x"]) == len(c["f"]) == len(c["df"]) >= 61
    assert np.all(np.diff(x) > 0), "x increases"
    if isinstance(record, activations.VectorActivation):
        assert c["vector"] is True
        vectors = np.stack([x, np.zeros_like(x)], axis=-1)
        np.testing.assert_array_equal(c["f"], record(vectors)[:, 0])
        np.testing.assert_array_equal(c["df"], record.jacobian(vectors)[:, 0, 0])
    else:
        assert c["vector"] is False
        np.testing.assert_array_equal(c["f"], record(x))
        np.testing.assert_array_equal(c["df"], record.derivative(x))


def test_parameters_are_used_and_reported_with_defaults_filled_in() -> None:
    c = curves("srelu", {"a_right": 1.5}, -4.0, 4.0, 9)
    assert c["params"] == {"t_left": -1.0, "a_left": 0.1, "t_right": 1.0, "a_right": 1.5}
    x = np.array(c["x"])
    np.testing.assert_array_equal(c["f"], activations.srelu(x, a_right=1.5))
    np.testing.assert_array_equal(c["df"], activations.srelu.derivative(x, a_right=1.5))
    assert c["f"] != curves("srelu", {}, -4.0, 4.0, 9)["f"]


def test_a_choice_parameter_is_explorable() -> None:
    exact, tanh = (curves("gelu", {"approximate": a}, -3.0, 3.0, 7)["f"] for a in ("none", "tanh"))
    assert exact != tanh
    assert tanh == activations.gelu(np.linspace(-3, 3, 7), approximate="tanh").tolist()


def test_the_line_breaks_where_f_jumps_and_the_kink_value_is_the_packages() -> None:
    c = curves("step", {"threshold": 0.5}, -2.0, 2.0, 5)
    x = c["x"]
    at = x.index(0.5)
    assert x[at - 1] == math.nextafter(0.5, -math.inf) and x[at + 1] == math.nextafter(0.5, math.inf)
    assert c["f_gaps"] == [at - 1, at] == c["df_gaps"]
    assert c["f"][at] == float(activations.step(0.5, threshold=0.5))


def test_only_the_derivative_breaks_where_f_is_continuous() -> None:
    c = curves("relu", {}, -1.0, 1.0, 4)  # 0 is not on the grid: it is added
    at = c["x"].index(0.0)
    assert c["f_gaps"] == []
    assert c["df_gaps"] == [at - 1, at]
    assert c["df"][at] == 0.0  # the package's convention at the kink


def test_kinks_follow_the_parameters_and_outside_kinks_add_nothing() -> None:
    c = curves("hard_tanh", {"max_val": 2.5}, -3.0, 3.0, 7)
    assert 2.5 in c["x"] and -1.0 in c["x"]
    assert len(curves("relu", {}, 1.0, 2.0, 5)["x"]) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no_such_function",), "no_such_function"),
        (("relu", {"alpha": 1.0}), "relu has no parameter 'alpha' (its explorable parameters: none)"),
        (("elu", {"alfa": 1.0}), "explorable parameters: alpha"),
        (("softplus", {"beta": 0.0}), "'beta' must be a real number in (0, inf]"),
        (("softplus", {"beta": "big"}), "'beta' must be"),
        (("rrelu", {"training": True}), "'training' (True or False) is not set by the explorer"),
        (("softmax", {"axis": 0}), "'axis'"),
        (("relu", {}, 1.0, 1.0), "lo < hi"),
        (("relu", {}, -math.inf, 1.0), "lo must be a finite number"),
        (("relu", {}, 0.0, 1e9), "hi must be within"),
        (("relu", {}, 0.0, 1.0, 1), "n must be an integer"),
        (("relu", {}, 0.0, 1.0, MAX_POINTS + 1), "n must be an integer"),
        (("relu", {}, 0.0, 1.0, 5.0), "n must be an integer"),
    ],
)
def test_bad_input_is_named(args: tuple, message: str) -> None:
    with pytest.raises((ValueError, TypeError)) as error:
        curves(*args)
    assert message in str(error.value)


def test_not_finite_values_stay_floats() -> None:
    c = curves("sinc", {}, -1.0, 1.0, 3)
    assert all(isinstance(v, float) for v in c["f"] + c["df"])


def test_overlay_samples_every_function_on_one_shared_x() -> None:
    o = overlay(["step", "relu", "softmax", "swish"], -2.0, 2.0, 9)
    x = np.array(o["x"])
    assert 0.0 in o["x"] and math.nextafter(0.0, math.inf) in o["x"]  # step's jump, for all
    assert [c["name"] for c in o["curves"]] == ["step", "relu", "softmax", "silu"]
    assert [c["display"] for c in o["curves"]] == [activations.get(c["name"]).display_name for c in o["curves"]]
    for c in o["curves"]:
        alone = curves(c["name"], {}, -2.0, 2.0, 9)
        record = activations.get(c["name"])
        if c["vector"]:
            np.testing.assert_array_equal(c["f"], record(np.stack([x, 0 * x], axis=-1))[:, 0])
        else:
            np.testing.assert_array_equal(c["f"], record(x))
            np.testing.assert_array_equal(c["df"], record.derivative(x))
        gaps = [alone["x"][i] for i in alone["f_gaps"]]
        assert [o["x"][i] for i in c["f_gaps"]] == gaps


@pytest.mark.parametrize(
    ("names", "message"),
    [("relu", "names is a list"), (["relu", 3], "names is a list"), (["nope"], "nope"), (["relu"] * (MAX_OVERLAY + 1), "at most")],
)
def test_overlay_names_bad_input(names: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        overlay(names)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "param"),
    [(n, p.name) for n in activations.names() for p in activations.get(n).params if p.kind == "float"],
)
def test_both_ends_of_every_slider_can_be_drawn(name: str, param: str) -> None:
    """The explorer offers Param.slider: its ends are values the record accepts, with the
    defaults for the other parameters. RReLU's one exception is its rule lower ≤ upper,
    which the explorer reports as the record words it."""
    record = activations.get(name)
    for value in next(p for p in record.params if p.name == param).slider:
        params = {param: value}
        crossed = name == "rrelu" and (
            (param == "lower" and value > record.defaults["upper"])
            or (param == "upper" and value < record.defaults["lower"])
        )
        if crossed:
            with pytest.raises(ValueError, match="lower must be at most upper"):
                curves(name, params, -5.0, 5.0, 11)
        else:
            assert curves(name, params, -5.0, 5.0, 11)["params"][param] == value
