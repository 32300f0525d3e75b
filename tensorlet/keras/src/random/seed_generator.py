"""``keras.random.SeedGenerator``: a seed state variable that advances on every draw.

An int seed ``s`` means the stateless seed ``[s, 0]``; a SeedGenerator returns its state and
then adds ``[0, 1]``; unseeded ``keras.random.*`` calls use a global generator whose state
moves as ``(state + 1) * 5387 % 933199`` (Keras 3).
"""

import random as python_random

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend import global_state
from tensorlet.keras.src.utils.naming import auto_name

RANDOM_SEED_DTYPE = "int64"  # Keras' TF backend: random_seed_dtype()


@keras_export("keras.random.SeedGenerator")
class SeedGenerator:
    """Generates a new seed on each call of a random function that receives it.

    Args:
        seed: the initial seed (int); None draws one from Python's ``random``.
        name: the name of the state variable's scope (default ``'seed_generator'``).

    Example:
        >>> sg = keras.random.SeedGenerator(1337)
        >>> a = keras.random.normal((2,), seed=sg)
        >>> b = keras.random.normal((2,), seed=sg)   # different values
        >>> sg.state.numpy()
        array([1337,    2])
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if name is None:
            name = auto_name(self.__class__.__name__)
        self.name = name
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")  # noqa: TRY004 (Keras' class)

        def seed_initializer(shape, dtype=None):
            return backend.convert_to_tensor([seed, 0], dtype=dtype)

        with backend.name_scope(self.name, caller=self):
            self.state = backend.Variable(
                seed_initializer,
                shape=(2,),
                dtype=RANDOM_SEED_DTYPE,
                trainable=False,
                name="seed_generator_state",
            )

    def next(self, ordered=True):
        """The current state (a tensor), then advances it."""
        seed_state = self.state
        new_seed_value = seed_state.value * 1
        if ordered:
            self.state.assign(
                seed_state + backend.convert_to_tensor([0, 1], dtype=seed_state.dtype)
            )
        else:
            # a sequence of near-unique numbers below ~1M
            self.state.assign((seed_state + 1) * 5387 % 933199)
        return new_seed_value

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def global_seed_generator():
    """The generator behind unseeded ``keras.random.*`` calls (created on first use)."""
    gen = global_state.get_global_attribute("global_seed_generator")
    if gen is None:
        gen = SeedGenerator()
        global_state.set_global_attribute("global_seed_generator", gen)
    return gen


def make_default_seed():
    return python_random.randint(1, int(1e9))


def draw_seed(seed):
    """The int64 ``[2]`` seed tensor for ``seed`` (int, SeedGenerator or None)."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return backend.convert_to_tensor([seed, 0], dtype=RANDOM_SEED_DTYPE)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of "
        f"`SeedGenerator`. Received: seed={seed} (of type {type(seed)})"
    )
