"""``keras.utils.set_random_seed``: one call seeds Python, NumPy, TF and Keras' global generator."""

import random

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import global_state
from tensorlet.ops import random_ops

GLOBAL_RANDOM_SEED = "global_random_seed"


@keras_export("keras.utils.set_random_seed")
def set_random_seed(seed):
    """Sets all random seeds: Python ``random``, NumPy, ``tf.random.set_seed`` and Keras'.

    Unseeded Keras initializers draw their seed from Python's ``random`` at construction, and
    the global seed generator of unseeded ``keras.random.*`` calls is re-created from it, so
    everything after this call is reproducible.

    Args:
        seed: an integer.
    """
    if not isinstance(seed, int):
        raise ValueError(  # noqa: TRY004 (Keras' class)
            "Expected `seed` argument to be an integer. "
            f"Received: seed={seed} (of type {type(seed)})"
        )
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    # the global SeedGenerator restarts from the re-seeded Python generator on its next use
    global_state.set_global_attribute("global_seed_generator", None)
    random.seed(seed)
    xp.random.seed(seed)
    random_ops.set_seed(seed)


def get_random_seed():
    """The seed given to ``set_random_seed``, or None."""
    return global_state.get_global_attribute(GLOBAL_RANDOM_SEED)
