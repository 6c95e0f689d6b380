"""The registry: every activation by canonical name, alias or framework spelling.

Lookups are explicit and fail loudly, as in Keras' ``activations.get``: an unknown
name raises :class:`UnknownActivationError` (a :class:`KeyError`) that suggests the
closest names. Spellings are compared after lower-casing and dropping ``_``, ``-``,
``.`` and spaces, so ``LeakyReLU``, ``leaky_relu`` and ``leaky-relu`` are one name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from . import (
    _gated,
    _periodic,
    _rectifiers,
    _shrink,
    _sigmoidal,
    _smooth_rectifiers,
    _threshold,
    _vector,
)
from ._core import Activation

#: The four classic activations every introduction starts with, in that order.
SEED = ("step", "sigmoid", "relu", "tanh")

_FAMILY_MODULES = (
    _threshold,
    _sigmoidal,
    _rectifiers,
    _smooth_rectifiers,
    _gated,
    _shrink,
    _periodic,
    _vector,
)


class UnknownActivationError(KeyError):
    """Raised by :func:`get` for a name that is no activation; suggests close names."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in "_-. ")


def _teaching_order(records: Iterable[Activation]) -> tuple[Activation, ...]:
    by_name = {record.name: record for record in records}
    missing = [name for name in SEED if name not in by_name]
    if missing:
        raise RuntimeError(f"the classic activations {missing} have no record")
    seed = tuple(by_name[name] for name in SEED)
    return seed + tuple(r for r in by_name.values() if r.name not in SEED)


def _build() -> tuple[dict[str, Activation], dict[str, Activation]]:
    records = _teaching_order(r for module in _FAMILY_MODULES for r in module.RECORDS)
    canonical: dict[str, Activation] = {}
    lookup: dict[str, Activation] = {}
    for record in records:
        if record.name in canonical:
            raise RuntimeError(f"two activations are named {record.name!r}")
        canonical[record.name] = record
    for record in records:
        for spelling in (record.name, *record.aliases):
            key = _key(spelling)
            if key in lookup and lookup[key] is not record:
                raise RuntimeError(
                    f"{spelling!r} would name both {lookup[key].name!r} and {record.name!r}"
                )
            lookup[key] = record
    return canonical, lookup


REGISTRY, _LOOKUP = _build()


def names() -> tuple[str, ...]:
    """Canonical names of every activation, in teaching order (the classic four first)."""
    return tuple(REGISTRY)


def aliases() -> dict[str, str]:
    """Every accepted alias mapped to its canonical name."""
    return {alias: r.name for r in REGISTRY.values() for alias in r.aliases}


def get(identifier: str | Activation) -> Activation:
    """Return the activation called ``identifier`` (canonical name, alias or framework spelling).

    >>> get("swish").name
    'silu'
    >>> get("LeakyReLU").name
    'leaky_relu'

    An :class:`Activation` is returned as it is. Anything else raises
    :class:`TypeError`; an unknown name raises :class:`UnknownActivationError`.
    """
    if isinstance(identifier, Activation):
        return identifier
    if not isinstance(identifier, str):
        raise TypeError(
            f"activations.get() takes a name or an Activation, got {type(identifier).__name__}"
        )
    record = _LOOKUP.get(_key(identifier))
    if record is not None:
        return record
    spellings = list(REGISTRY) + list(aliases())
    close = difflib.get_close_matches(identifier.lower(), spellings, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise UnknownActivationError(
        f"Unknown activation {identifier!r}.{hint} activations.names() lists all {len(REGISTRY)}."
    )
