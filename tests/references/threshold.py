"""References for the threshold family (step, threshold, identity)."""

from __future__ import annotations

import mpmath as mp

from . import Reference


def _step(x: mp.mpf, threshold: float) -> mp.mpf:
    return mp.mpf(1) if x >= threshold else mp.mpf(0)


def _threshold(x: mp.mpf, threshold: float, value: float) -> mp.mpf:
    return x if x > threshold else mp.mpf(value)


def _threshold_derivative(x: mp.mpf, threshold: float, value: float) -> mp.mpf:
    return mp.mpf(1) if x > threshold else mp.mpf(0)


REFERENCES = {
    "identity": Reference(f=lambda x: x, df=lambda x: mp.mpf(1)),
    "step": Reference(f=_step, df=lambda x, threshold: mp.mpf(0)),
    "threshold": Reference(f=_threshold, df=_threshold_derivative),
}
REFERENCES["sign"] = Reference(f=lambda x: mp.mpf(mp.sign(x)), df=lambda x: mp.mpf(0))
