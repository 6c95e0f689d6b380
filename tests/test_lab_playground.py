"""activations.lab.playground: the settings of the site's training demo and its chunks."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from activations.lab import ELEMENTWISE, Trainer, datasets, playground
from activations.lab.playground import DEFAULTS, N_POINTS, Playground, options, parse_settings


def test_docstring_examples() -> None:
    result = doctest.testmod(playground)
    assert result.attempted > 0 and result.failed == 0


def test_options_offer_every_elementwise_activation_and_dataset() -> None:
    offered = options()
    assert offered["activations"] == list(ELEMENTWISE)
    assert offered["datasets"] == list(datasets.DATASETS)
    assert offered["defaults"]["hidden"] == "8,8"
    assert offered["limits"]["width"] == [1, 16]


def test_settings_from_text() -> None:
    settings, problems = parse_settings(
        {
            "dataset": "spiral",
            "noise": "0.25",
            "train_fraction": "0.7",
            "hidden": " 4, 3 ,2",
            "activation": "gelu",
            "learning_rate": "0.01",
            "batch_size": "30",
            "seed": "7",
            "unrelated": "kept out",
        }
    )
    assert problems == []
    assert settings == {
        "dataset": "spiral",
        "noise": 0.25,
        "train_fraction": 0.7,
        "hidden": (4, 3, 2),
        "activation": "gelu",
        "learning_rate": 0.01,
        "batch_size": 30,
        "seed": 7,
    }
    assert parse_settings({"hidden": ""})[0]["hidden"] == ()  # logistic regression
    assert parse_settings({}) == (DEFAULTS, [])


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("dataset", "donut", 'dataset: "donut" is not one of circle, xor, gauss, spiral, moons; using xor'),
        ("activation", "softmax", 'activation: "softmax" is not one of'),
        ("noise", "2", 'noise: "2" is not a number from 0 to 1; using 0.0'),
        ("noise", "nan", "noise"),
        ("train_fraction", "1", "train_fraction"),
        ("learning_rate", "0", "learning_rate"),
        ("learning_rate", "inf", "learning_rate"),
        ("batch_size", "2.5", 'batch_size: "2.5" is not a whole number from 1 to 500; using 10'),
        ("batch_size", "0", "batch_size"),
        ("seed", "-1", "seed"),
        ("hidden", "8,,8", 'hidden: "8,,8" is not a list of at most 6 layer widths from 1 to 16'),
        ("hidden", "17", "hidden"),
        ("hidden", "1,1,1,1,1,1,1", "hidden"),
    ],
)
def test_an_invalid_value_is_replaced_by_its_default_and_reported(
    key: str, text: str, message: str
) -> None:
    other = "batch_size" if key == "seed" else "seed"
    settings, problems = parse_settings({key: text, other: "3"})
    assert settings[key] == DEFAULTS[key] and settings[other] == 3  # the valid one is kept
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_every_offered_activation_trains() -> None:
    for name in ELEMENTWISE:
        demo = Playground({"activation": name, "hidden": (3,), "batch_size": 250})
        reply = demo.advance(seconds=60.0, max_epochs=1)
        assert reply["epoch"] == 1 and len(reply["epochs"]) == 1, name


def test_a_playground_is_the_lab_trainer_with_its_settings() -> None:
    """Same data and same metrics as the trainer tested in test_lab.py: XOR with tanh
    reaches 0.95 test accuracy (seed 0: at epoch 13)."""
    demo = Playground(DEFAULTS)
    data = datasets.make("xor", N_POINTS, seed=0)
    assert np.array_equal(demo.data.x_train, data.x_train)
    reference = Trainer(data, (8, 8), "tanh", learning_rate=0.3, batch_size=10, seed=0)
    for _ in range(13):
        reply = demo.advance(seconds=60.0, max_epochs=1)
        expected = reference.epoch()
    assert reply["epochs"] == [expected.as_dict()]
    assert reply["epochs"][0]["test_accuracy"] >= 0.95


def test_advance_stops_at_the_time_budget_or_the_epoch_bound() -> None:
    demo = Playground({"batch_size": 1})  # 250 steps per epoch
    reply = demo.advance(seconds=0.0, max_epochs=5)
    assert reply["steps"] == 1 and reply["epochs"] == [] and reply["epoch"] == 0
    assert reply["epoch_progress"] == pytest.approx(1 / 250)
    reply = demo.advance(seconds=60.0, max_epochs=2)
    assert reply["epoch"] == 2 and [m["epoch"] for m in reply["epochs"]] == [1, 2]
    assert reply["steps"] == 500 and reply["epoch_progress"] == 0
    assert "grid" not in reply
    with pytest.raises(ValueError, match="max_epochs"):
        demo.advance(seconds=1.0, max_epochs=0)


def test_snapshot_and_grid_are_plain_values() -> None:
    demo = Playground({"dataset": "circle", "hidden": ()})
    snap = demo.snapshot(grid=5)
    assert snap["settings"]["hidden"] == "" and snap["settings"]["dataset"] == "circle"
    assert snap["epoch"] == 0 and len(snap["history"]) == 1
    assert len(snap["points"]["x_train"]) == 250 and len(snap["points"]["y_test"]) == 250
    grid = snap["grid"]
    assert len(grid["probability"]) == 5 and len(grid["probability"][0]) == 5
    assert all(0 <= p <= 1 for row in grid["probability"] for p in row)
    reply = demo.advance(seconds=60.0, max_epochs=1, grid=3)
    assert len(reply["grid"]["xs"]) == 3 and reply["grid"]["extent"] == datasets.EXTENT


def test_same_settings_same_run() -> None:
    first = Playground({"activation": "relu", "seed": 4}).advance(60.0, 2)
    again = Playground({"activation": "relu", "seed": 4}).advance(60.0, 2)
    other = Playground({"activation": "relu", "seed": 5}).advance(60.0, 2)
    assert first == again and first != other
    assert all(math.isfinite(m["train_loss"]) for m in first["epochs"])
