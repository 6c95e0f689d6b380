"""The Python side of the site's "Train a network" demo (TensorFlow-Playground style).

The page (``site_src/live/playground.mjs``) keeps its controls in the URL, so a shared
link reproduces a run. This module turns those text values into checked settings
(:func:`parse_settings`: a bad value is replaced by its default and reported, never
fatal), and trains a :class:`~activations.lab.mlp.Trainer` in chunks bounded in time
(:meth:`Playground.advance`), so that the Python worker answers the page often and the
curves move while the network learns. All values cross to JavaScript as plain lists,
numbers and strings.

>>> settings, problems = parse_settings({"dataset": "xor", "hidden": "4", "seed": "x"})
>>> settings["hidden"], settings["seed"], problems
((4,), 0, ['seed: "x" is not a whole number from 0 to 4294967295; using 0'])
>>> demo = Playground(settings)
>>> demo.advance(seconds=10.0, max_epochs=1)["epoch"]
1
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from . import datasets as _datasets
from .mlp import ELEMENTWISE, Trainer

__all__ = ["DEFAULTS", "LIMITS", "N_POINTS", "Playground", "options", "parse_settings"]

#: Points drawn for every dataset, training and test together (the Playground's 500).
N_POINTS = 500

#: The settings a fresh page starts from: tanh on XOR learns in about a dozen epochs.
DEFAULTS: dict[str, Any] = {
    "dataset": "xor",
    "noise": 0.0,
    "train_fraction": 0.5,
    "hidden": (8, 8),
    "activation": "tanh",
    "learning_rate": 0.3,
    "batch_size": 10,
    "seed": 0,
}

#: Bounds of the numeric settings (inclusive), and of the network's shape: enough for
#: every dataset, small enough that an epoch stays well under a second in the browser.
LIMITS: dict[str, tuple[float, float]] = {
    "noise": (0.0, 1.0),
    "train_fraction": (0.1, 0.9),
    "learning_rate": (1e-5, 10.0),
    "batch_size": (1, N_POINTS),
    "seed": (0, 2**32 - 1),
    "layers": (0, 6),
    "width": (1, 16),
}


def options() -> dict[str, Any]:
    """What the page's controls offer: datasets, activations (every elementwise one of the
    package), the defaults and the limits."""
    return {
        "datasets": list(_datasets.DATASETS),
        "activations": list(ELEMENTWISE),
        "defaults": {**DEFAULTS, "hidden": _hidden_text(DEFAULTS["hidden"])},
        "limits": {key: list(bounds) for key, bounds in LIMITS.items()},
    }


def _hidden_text(hidden: tuple[int, ...]) -> str:
    return ",".join(map(str, hidden))


# -- settings from text ----------------------------------------------------------------------


def _choice(choices: tuple[str, ...]) -> Callable[[str], Any]:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(f"is not one of {', '.join(choices)}")
        return text

    return parse


def _number(low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # NaN fails too
            raise ValueError(f"is not a number from {low:g} to {high:g}")
        return value

    return parse


def _whole(low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> int:
        stripped = text.strip()
        if not (stripped.isdigit() and low <= int(stripped) <= high):
            raise ValueError(f"is not a whole number from {low:.0f} to {high:.0f}")
        return int(stripped)

    return parse


def _hidden(text: str) -> tuple[int, ...]:
    layers_max, width_max = int(LIMITS["layers"][1]), int(LIMITS["width"][1])
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    if len(parts) > layers_max or not all(
        part.isdigit() and 1 <= int(part) <= width_max for part in parts
    ):
        raise ValueError(
            f"is not a list of at most {layers_max} layer widths from 1 to {width_max},"
            " separated by commas (empty: no hidden layer)"
        )
    return tuple(int(part) for part in parts)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "dataset": _choice(_datasets.DATASETS),
    "noise": _number(*LIMITS["noise"]),
    "train_fraction": _number(*LIMITS["train_fraction"]),
    "hidden": _hidden,
    "activation": _choice(ELEMENTWISE),
    "learning_rate": _number(*LIMITS["learning_rate"]),
    "batch_size": _whole(*LIMITS["batch_size"]),
    "seed": _whole(*LIMITS["seed"]),
}


def parse_settings(raw: Mapping[str, object]) -> tuple[dict[str, Any], list[str]]:
    """Settings from text values such as a URL query's (``{"hidden": "8,8", ...}``).

    Returns the complete settings (a key that is missing gets its :data:`DEFAULTS` value;
    keys that are not settings are ignored) and one readable problem per value that is
    invalid and was replaced by its default, for the page to show.
    """
    settings = dict(DEFAULTS)
    problems = []
    for key, parse in _PARSERS.items():
        if key not in raw:
            continue
        text = str(raw[key])
        try:
            settings[key] = parse(text)
        except ValueError as error:
            default = DEFAULTS[key]
            shown = _hidden_text(default) if key == "hidden" else default
            problems.append(f'{key}: "{text}" {error}; using {shown}')
    return settings, problems


# -- the run ---------------------------------------------------------------------------------


class Playground:
    """One run of the demo: the dataset and a trainer made from checked settings (those
    of :func:`parse_settings`). The same settings always give the same run."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = {**DEFAULTS, **settings}
        s = self.settings
        self.data = _datasets.make(
            s["dataset"],
            N_POINTS,
            noise=s["noise"],
            train_fraction=s["train_fraction"],
            seed=s["seed"],
        )
        self.trainer = Trainer(
            self.data,
            tuple(s["hidden"]),
            s["activation"],
            learning_rate=s["learning_rate"],
            batch_size=s["batch_size"],
            seed=s["seed"],
        )

    def snapshot(self, grid: int = 40) -> dict[str, Any]:
        """Everything the page draws from scratch: the settings (``hidden`` as text), the
        points, every epoch's metrics so far and the decision map on ``grid × grid``."""
        return {
            "settings": {**self.settings, "hidden": _hidden_text(self.settings["hidden"])},
            "points": self.data.as_dict(),
            "history": [m.as_dict() for m in self.trainer.history],
            **self.progress(),
            "grid": self.trainer.decision_grid(grid).as_dict(),
        }

    def progress(self) -> dict[str, Any]:
        """Where training is: ``epoch`` (completed), ``steps`` and the share of the
        current epoch's batches already done."""
        trainer = self.trainer
        per_epoch = math.ceil(len(self.data.y_train) / trainer.batch_size)
        done_in_epoch = trainer.steps - trainer.epochs * per_epoch
        return {
            "epoch": trainer.epochs,
            "steps": trainer.steps,
            "epoch_progress": done_in_epoch / per_epoch,
        }

    def advance(self, seconds: float, max_epochs: int, grid: int = 0) -> dict[str, Any]:
        """Train until ``seconds`` of wall-clock time have passed or ``max_epochs``
        epochs have completed, whichever comes first (at least one SGD step).

        Returns the metrics of the epochs completed in this call (``epochs``, a list,
        often empty for a short chunk), :meth:`progress` and, if ``grid`` is at least 2,
        the decision map on ``grid × grid`` points. Metrics are measured at the end of
        each epoch only (a forward pass over every point), as on the loss curves.
        """
        if not (isinstance(max_epochs, int) and max_epochs >= 1):
            raise ValueError(f"max_epochs must be a positive integer; got {max_epochs!r}")
        trainer = self.trainer
        start = len(trainer.history)
        deadline = time.perf_counter() + seconds
        while True:
            # One SGD step; True when it completed the epoch (Trainer.run does the same).
            if trainer._train_step():
                trainer.history.append(trainer.evaluate())
                if len(trainer.history) - start >= max_epochs:
                    break
            if time.perf_counter() >= deadline:
                break
        reply = {"epochs": [m.as_dict() for m in trainer.history[start:]], **self.progress()}
        if grid >= 2:
            reply["grid"] = trainer.decision_grid(grid).as_dict()
        return reply
