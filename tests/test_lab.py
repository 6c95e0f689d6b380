"""The lab (activations.lab): datasets, the numpy MLP, gradients through depth, dead units.

What is checked:

* the MLP's backpropagation (through the records' ``derivative``) against central finite
  differences of the loss, for smooth, piecewise-linear, parametrised and random (RReLU
  in training mode) activations: relative error below 1e-6 (measured: about 1e-9); and
  that the same check catches a wrong derivative, so it can fail;
* training: XOR with tanh reaches test accuracy >= 0.95 within 30 epochs (seed 0: 13);
  every elementwise activation trains a step with finite metrics; a divergent learning
  rate reports inf/nan without a warning;
* depth: at depth 20 with the default (Xavier) init the first-layer gradient norm is
  smaller for sigmoid than for relu; He init keeps relu's far larger than Xavier's;
* dead units: with a too-large learning rate ReLU ends with more dead units than leaky
  ReLU; for ReLU dead and silent units coincide;
* determinism: the same seed gives identical datasets, weights, runs and profiles;
* bad input raises clear errors (unknown or vector activation, bad sizes, bad settings).
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pytest

import activations
from activations import UnknownActivationError, VectorActivation, lab
from activations.lab import datasets, dead_units, depth
from activations.lab.mlp import ELEMENTWISE, MLP, Trainer

# -- gradient check ----------------------------------------------------------------------


def _gradient_errors(net: MLP, draw: int | None = None, h: float = 1e-6) -> tuple[float, Any]:
    """Relative error (in the 2-norm) of backprop against central differences, and the
    analytic gradients."""
    rng = np.random.default_rng(7)
    for b in net.biases:  # non-zero biases, so that no unit sits exactly on a kink
        b[:] = rng.normal(0.0, 0.3, b.shape)
    x = rng.normal(0.0, 1.0, (6, net.sizes[0]))
    y = np.array([0, 1, 1, 0, 1, 0])
    grads = net.gradients(x, y, draw=draw)
    analytic = grads.flat()
    theta = net.get_flat()
    numeric = np.empty_like(theta)
    for i in range(theta.size):
        shifted = theta.copy()
        shifted[i] = theta[i] + h
        net.set_flat(shifted)
        up = net.loss(x, y, draw=draw)
        shifted[i] = theta[i] - h
        net.set_flat(shifted)
        down = net.loss(x, y, draw=draw)
        numeric[i] = (up - down) / (2 * h)
    net.set_flat(theta)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    return float(np.linalg.norm(analytic - numeric) / scale), grads


@pytest.mark.parametrize(
    ("name", "params", "draw"),
    [
        ("tanh", {}, None),
        ("sigmoid", {}, None),
        ("relu", {}, None),
        ("gelu", {}, None),
        ("gelu", {"approximate": "tanh"}, None),
        ("softplus", {"beta": 2.5}, None),
        ("elu", {"alpha": 0.3}, None),
        ("leaky_relu", {"negative_slope": 0.2}, None),
        ("snake", {"a": 2.0}, None),
        ("mish", {}, None),
        ("rrelu", {"training": True}, 5),  # random slopes: the draw is the same both ways
    ],
)
def test_backprop_matches_central_differences(
    name: str, params: dict[str, Any], draw: int | None
) -> None:
    net = MLP((2, 4, 3, 1), name, params, seed=3)
    error, grads = _gradient_errors(net, draw)
    assert error < 1e-6, f"{name}{params}: relative error {error:.3g}"
    # The hidden layers really were checked: their gradients are not all zero.
    assert np.linalg.norm(grads.weights[0]) > 1e-4


def test_gradient_check_catches_a_wrong_derivative() -> None:
    """The check has teeth: tanh with its value in place of its derivative fails it."""
    broken = dataclasses.replace(activations.tanh, derivative_kernel=activations.tanh.kernel)
    error, _ = _gradient_errors(MLP((2, 4, 3, 1), broken, seed=3))
    assert error > 1e-2


def test_rrelu_training_draws_random_slopes_and_evaluates_with_the_mean() -> None:
    net = MLP((2, 6, 1), "rrelu", {"training": True}, seed=1)
    x = np.random.default_rng(0).normal(size=(50, 2))
    y = (x[:, 0] > 0).astype(int)
    assert net.loss(x, y, draw=1) == net.loss(x, y, draw=1)  # same draw, same slopes
    assert net.loss(x, y, draw=1) != net.loss(x, y, draw=2)
    mean_slope = MLP((2, 6, 1), "rrelu", seed=1)  # training=False: slope (l + u)/2
    assert net.loss(x, y) == mean_slope.loss(x, y)


# -- training ----------------------------------------------------------------------------


def test_xor_with_tanh_reaches_95_percent_test_accuracy_within_30_epochs() -> None:
    data = datasets.make("xor", 500, seed=0)
    trainer = Trainer(data, (8, 8), "tanh", learning_rate=0.3, batch_size=10, seed=0)
    start = trainer.history[0]
    assert start.epoch == 0 and start.test_accuracy < 0.8
    for _ in range(30):
        metrics = trainer.epoch()
        if metrics.test_accuracy >= 0.95:
            break
    assert metrics.test_accuracy >= 0.95, metrics
    assert metrics.epoch <= 30 and metrics.train_loss < start.train_loss
    assert [m.epoch for m in trainer.history] == list(range(metrics.epoch + 1))


def test_step_epoch_and_reset() -> None:
    data = datasets.make("circle", 100, seed=2)  # 50 training points
    trainer = Trainer(data, (4,), "relu", learning_rate=0.1, batch_size=20, seed=5)
    first = trainer.step()
    assert (first.steps, first.epoch) == (1, 0) and len(trainer.history) == 1
    trainer.step()
    finished = trainer.step()  # batches of 20, 20, 10: the third step ends the epoch
    assert (finished.steps, finished.epoch) == (3, 1) and trainer.history[-1] == finished
    assert trainer.epoch().steps == 6
    trainer.batch_size = 50  # applies from the next epoch on
    assert trainer.epoch().steps == 7
    weights = [w.copy() for w in trainer.model.weights]
    again = trainer.reset()
    assert again == trainer.history[0] and (again.steps, again.epoch) == (0, 0)
    assert not all(np.array_equal(a, b) for a, b in zip(weights, trainer.model.weights))
    assert trainer.evaluate() == again


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_elementwise_activation_trains(name: str) -> None:
    data = datasets.make("moons", 40, seed=1)
    params = {"training": True} if name == "rrelu" else {}
    # Weights large enough that every unit is used (hardshrink is 0 on (-0.5, 0.5)).
    trainer = Trainer(
        data, (3,), name, params, init="normal", std=2.0, learning_rate=0.1, batch_size=20
    )
    before = trainer.model.get_flat()
    metrics = trainer.epoch()
    assert np.all(np.isfinite([metrics.train_loss, metrics.test_loss]))
    assert 0.0 <= metrics.train_accuracy <= 1.0
    assert not np.array_equal(before, trainer.model.get_flat())


def test_elementwise_list_excludes_exactly_the_vector_activations() -> None:
    vector = {n for n in activations.names() if isinstance(activations.get(n), VectorActivation)}
    assert vector == {"softmax", "log_softmax", "glu", "swiglu", "geglu", "reglu"}
    assert set(ELEMENTWISE) == set(activations.names()) - vector


def test_a_divergent_learning_rate_reports_without_warnings() -> None:
    data = datasets.make("spiral", 100, seed=0)
    trainer = Trainer(data, (8, 8), "relu", init="normal", std=30.0, learning_rate=1e6, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        metrics = trainer.run(3)
        grid = trainer.decision_grid(5)
    assert not np.isfinite(metrics.train_loss) or metrics.train_loss > 10
    assert grid.probability.shape == (5, 5)


def test_decision_grid_is_the_predicted_probability_on_the_grid() -> None:
    data = datasets.make("gauss", 60, seed=3)
    trainer = Trainer(data, (5,), "tanh", learning_rate=0.5, seed=3)
    trainer.run(3)
    grid = trainer.decision_grid(7)
    assert grid.xs[0] == -data.extent and grid.ys[-1] == data.extent
    i, j = 1, 5  # row i is y = ys[i], column j is x = xs[j]
    expected = trainer.model.predict_proba([[grid.xs[j], grid.ys[i]]])[0]
    assert grid.probability[i, j] == expected
    assert np.all((grid.probability >= 0) & (grid.probability <= 1))
    # Blobs at (0.45, 0.45) (class 1) and (-0.45, -0.45): high top right, low bottom left.
    assert grid.probability[-1, -1] > 0.5 > grid.probability[0, 0]
    assert grid.as_dict()["probability"][i][j] == expected


def test_loss_is_the_cross_entropy_of_the_probabilities() -> None:
    net = MLP((2, 3, 1), "silu", seed=4)
    x = np.random.default_rng(1).normal(size=(9, 2))
    y = np.array([0, 1, 0, 1, 1, 1, 0, 0, 1])
    p = net.predict_proba(x)
    naive = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert net.loss(x, y) == pytest.approx(naive, rel=1e-12)
    # And it stays finite where the naive formula gives inf: a confident wrong answer.
    net.weights[-1][:] = 1e4
    assert np.isfinite(net.loss(x, y)) and net.loss(x, y) > 10


# -- datasets ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", datasets.DATASETS)
def test_datasets_are_balanced_in_range_and_split(name: str) -> None:
    data = datasets.make(name, 201, train_fraction=0.6, seed=4)
    assert data.x_train.shape == (121, 2) and data.x_test.shape == (80, 2)
    labels = np.concatenate([data.y_train, data.y_test])
    assert set(labels.tolist()) == {0, 1} and labels.dtype == np.int64
    if name == "xor":  # uniform over the quadrants: balanced on average only
        assert 70 < labels.sum() < 130
    else:
        assert abs(int(labels.sum()) - 100) <= 1  # classes of 100 and 101
    points = np.concatenate([data.x_train, data.x_test])
    assert np.abs(points).max() <= 1.0 + 4 * 0.15 * (name == "gauss")
    noisy = datasets.make(name, 201, train_fraction=0.6, noise=0.05, seed=4)
    moved = np.abs(noisy.x_train - data.x_train)  # the same points, jittered
    assert 0 < moved.max() < 0.5 and np.array_equal(noisy.y_train, data.y_train)


def test_xor_and_circle_labels_follow_their_rule() -> None:
    xor = datasets.make("xor", 300, seed=1)
    assert np.array_equal(xor.y_train, (xor.x_train[:, 0] * xor.x_train[:, 1] > 0).astype(int))
    circle = datasets.make("circle", 300, seed=1)
    radius = np.hypot(circle.x_train[:, 0], circle.x_train[:, 1])
    assert np.array_equal(circle.y_train, (radius < 0.6).astype(int))


# -- depth -------------------------------------------------------------------------------


def test_at_depth_20_sigmoid_starves_the_first_layer_more_than_relu() -> None:
    sigmoid = depth.profile("sigmoid", depth=20)
    relu = depth.profile("relu", depth=20)
    assert sigmoid.init == relu.init == "xavier"
    assert 0 < sigmoid.first_layer_grad_norm < relu.first_layer_grad_norm
    # Sigmoid's slope is at most 1/4: over 20 layers, orders of magnitude lost.
    assert sigmoid.first_layer_grad_norm < 1e-6 * sigmoid.layers[-1].weight_grad_norm
    assert max(s.mean_abs_slope for s in sigmoid.layers) <= 0.25
    assert len(relu.layers) == 20 and [s.layer for s in relu.layers] == list(range(1, 21))


def test_he_init_keeps_relu_gradients_alive_and_relu_zeroes_half() -> None:
    he = depth.profile("relu", depth=20, init="he")
    xavier = depth.profile("relu", depth=20, init="xavier")
    assert he.first_layer_grad_norm > 100 * xavier.first_layer_grad_norm
    assert all(0.3 < s.fraction_zero < 0.7 for s in he.layers)
    assert all(s.fraction_zero == 0 for s in depth.profile("tanh", depth=3).layers)


def test_an_exploding_profile_reports_inf_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prof = depth.profile("relu", depth=150, width=64, init="normal", std=100.0)
    assert np.isfinite(prof.layers[0].std) and not np.isfinite(prof.layers[-1].std)
    assert prof.as_dict()["layers"][0]["layer"] == 1


# -- dead units --------------------------------------------------------------------------


def test_a_too_large_learning_rate_kills_more_relu_units_than_leaky_relu_units() -> None:
    runs = dead_units.compare(("relu", "leaky_relu"), epochs=8, seed=0)
    relu, leaky = runs["relu"], runs["leaky_relu"]
    assert relu.dead_fraction[-1] > leaky.dead_fraction[-1]
    assert relu.dead_fraction[-1] > 3 * relu.dead_fraction[0]  # measured: 0.02 -> 0.38
    assert relu.dead_fraction == relu.silent_fraction  # for ReLU, silent means dead
    assert set(leaky.dead_fraction) == {0.0}  # leaky units always get some gradient
    assert max(leaky.silent_fraction) > 0  # ... though some do fall silent
    assert len(relu.dead_fraction) == 9 and len(relu.dead_by_layer[-1]) == 3


def test_dead_fraction_counts_units_that_never_fire() -> None:
    net = MLP((2, 4, 1), "relu", seed=0)
    net.biases[0][:] = [-100.0, -100.0, 0.0, 0.0]  # two units can never fire on |x| <= 1
    net.weights[0][:, 2:] = [[1.0, -1.0], [0.0, 0.0]]
    x = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    assert dead_units.silent_fraction(net, x) == 0.5
    assert dead_units.dead_fraction(net, x) == 0.5
    gelu = MLP((2, 4, 1), "gelu", seed=0)
    gelu.biases[0][:] = [-100.0, -100.0, 0.0, 0.0]
    gelu.weights[0][:, 2:] = [[1.0, -1.0], [0.0, 0.0]]
    assert dead_units.silent_fraction(gelu, x) == 0.5
    assert dead_units.dead_fraction(gelu, x) == 0.5  # its slope underflows to 0 at z = -100
    gelu.biases[0][:2] = -5.0  # silent but alive: a slope of about -1.5e-5
    assert (dead_units.silent_fraction(gelu, x), dead_units.dead_fraction(gelu, x)) == (0.5, 0.0)


# -- determinism -------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_everything() -> None:
    one, two = datasets.make("spiral", seed=9), datasets.make("spiral", seed=9)
    for field in ("x_train", "y_train", "x_test", "y_test"):
        assert np.array_equal(getattr(one, field), getattr(two, field))
    assert not np.array_equal(one.x_train, datasets.make("spiral", seed=10).x_train)

    def run(seed: int) -> tuple[list[lab.Metrics], np.ndarray]:
        data = datasets.make("moons", 100, noise=0.1, seed=seed)
        trainer = Trainer(data, (6, 6), "rrelu", {"training": True}, learning_rate=0.2, seed=seed)
        trainer.run(2)
        trainer.step()
        return trainer.history, trainer.decision_grid(6).probability

    history, grid = run(3)
    again, grid_again = run(3)
    assert history == again and np.array_equal(grid, grid_again)
    assert run(4)[0] != history
    assert depth.profile("tanh", depth=5, seed=2) == depth.profile("tanh", depth=5, seed=2)
    assert dead_units.track("relu", epochs=2) == dead_units.track("relu", epochs=2)


# -- bad input ---------------------------------------------------------------------------


def test_unknown_activation_names_the_closest() -> None:
    with pytest.raises(UnknownActivationError, match="Did you mean 'relu'"):
        MLP((2, 3, 1), "rellu")
    with pytest.raises(UnknownActivationError):
        Trainer(datasets.make("xor", 20), (3,), "no_such_function")


@pytest.mark.parametrize("name", ["softmax", "glu", "log_softmax"])
def test_vector_activations_are_refused_clearly(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} is vector-valued.*elementwise"):
        MLP((2, 3, 1), name)
    with pytest.raises(ValueError, match="vector-valued"):
        depth.profile(name, depth=2)


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ((), ValueError, "needs an input and an output"),
        ((2,), ValueError, "needs an input and an output"),
        ((2, 0, 1), ValueError, "at least 1"),
        ((2, 8, 2), ValueError, "output layer must have 1 unit"),
        ((2, 2.5, 1), TypeError, "must be an integer"),
        ((2, True, 1), TypeError, "must be an integer"),
        ("281", TypeError, "sequence of layer widths"),
        (8, TypeError, "sequence of layer widths"),
    ],
)
def test_bad_sizes_are_refused(sizes: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        MLP(sizes, "relu")


def test_bad_settings_are_refused_with_what_is_allowed() -> None:
    data = datasets.make("xor", 20)
    with pytest.raises(ValueError, match="unknown init 'kaiming'.*'he'"):
        MLP((2, 3, 1), "relu", init="kaiming")
    with pytest.raises(TypeError, match="parameters are: negative_slope"):
        MLP((2, 3, 1), "leaky_relu", {"slope": 0.1})
    with pytest.raises(ValueError, match="alpha"):
        MLP((2, 3, 1), "celu", {"alpha": 0.0})
    with pytest.raises(ValueError, match="'rng' are supplied by the network"):
        MLP((2, 3, 1), "rrelu", {"training": True, "rng": np.random.default_rng(0)})
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        Trainer(data, learning_rate=-0.1)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        Trainer(data, batch_size=0)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        MLP((2, 1), seed=-1)
    with pytest.raises(ValueError, match="inputs must have shape \\(n, 2\\)"):
        MLP((2, 3, 1)).logits(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        MLP((2, 3, 1)).loss(np.zeros((2, 2)), [0, 2])
    with pytest.raises(ValueError, match="unknown dataset 'swirl'.*'spiral'"):
        datasets.make("swirl")
    with pytest.raises(ValueError, match="noise must be"):
        datasets.make("xor", noise=2.0)
    with pytest.raises(ValueError, match="train_fraction"):
        datasets.make("xor", train_fraction=1.0)
    with pytest.raises(ValueError, match="n must be an integer >= 4"):
        datasets.make("xor", 3)
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        depth.profile("relu", depth=0)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        Trainer(data).decision_grid(1)


# -- the benchmark -----------------------------------------------------------------------


def test_lab_speed_benchmark_prints_epochs_per_second(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import lab_speed

    assert (
        lab_speed.main(["--epochs", "1", "--repeat", "1", "--only", "relu", "--batch", "50"]) == 0
    )
    out = capsys.readouterr().out
    assert "2-8-8-1" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("relu "))
    assert row[1] == "50" and float(row[2]) > 0
