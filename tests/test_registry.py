"""The public lookup API: names, aliases, module attributes, loud failures."""

from __future__ import annotations

import pytest

import activations
from activations import Activation, UnknownActivationError


def test_names_start_with_the_classic_four_in_teaching_order() -> None:
    assert activations.names()[:4] == ("step", "sigmoid", "relu", "tanh")


def test_names_are_unique_snake_case() -> None:
    names = activations.names()
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.lower() and " " not in name and "-" not in name, name


def test_catalogue_is_complete() -> None:
    required = """identity step threshold sigmoid tanh hard_sigmoid hard_tanh relu relu6 leaky_relu
    prelu rrelu elu selu celu gelu silu hard_swish mish softplus softsign log_sigmoid gaussian
    squareplus tanhshrink softshrink hardshrink softmax log_softmax glu swiglu geglu snake sinc
    lecun_tanh arctan bent_identity sign cloglog absolute sin cos symmetric_sigmoid srelu""".split()
    missing = sorted(set(required) - set(activations.names()))
    assert not missing, f"no record for {missing}"
    assert len(activations.names()) >= 45


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("swish", "silu"),
        ("logistic", "sigmoid"),
        ("linear", "identity"),
        ("heaviside", "step"),
        ("hardswish", "hard_swish"),
        ("hardtanh", "hard_tanh"),
        ("hardsigmoid", "hard_sigmoid"),
        ("logsigmoid", "log_sigmoid"),
        # PyTorch module and Keras spellings
        ("ReLU", "relu"),
        ("LeakyReLU", "leaky_relu"),
        ("Hardswish", "hard_swish"),
        ("LogSigmoid", "log_sigmoid"),
        ("Softplus", "softplus"),
        ("GELU", "gelu"),
        ("SiLU", "silu"),
        ("Tanhshrink", "tanhshrink"),
        ("soft_shrink", "softshrink"),
        ("hard_shrink", "hardshrink"),
        ("tanh_shrink", "tanhshrink"),
        ("hard_silu", "hard_swish"),
        ("ReLU6", "relu6"),
        ("leaky-relu", "leaky_relu"),
    ],
)
def test_aliases_and_framework_spellings_resolve(alias: str, canonical: str) -> None:
    assert activations.get(alias).name == canonical


def test_every_canonical_name_is_a_module_attribute_and_back() -> None:
    for name in activations.names():
        assert getattr(activations, name) is activations.get(name)
    records = {k for k, v in vars(activations).items() if isinstance(v, Activation)}
    assert records == set(activations.names())
    assert set(activations.__all__) >= records, "export every activation in __all__"


def test_aliases_map_to_existing_names() -> None:
    for alias, name in activations.aliases().items():
        assert activations.get(alias).name == name


def test_unknown_name_raises_a_keyerror_that_suggests_close_names() -> None:
    with pytest.raises(UnknownActivationError) as caught:
        activations.get("sigmoud")
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert "'sigmoud'" in message and "'sigmoid'" in message


def test_unknown_name_without_close_match_still_says_how_to_list() -> None:
    with pytest.raises(KeyError, match=r"activations\.names\(\)"):
        activations.get("qqqqqqqq")


def test_get_passes_an_activation_through_and_rejects_other_types() -> None:
    assert activations.get(activations.relu) is activations.relu
    with pytest.raises(TypeError, match="name or an Activation"):
        activations.get(3)  # type: ignore[arg-type]
