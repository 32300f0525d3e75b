"""``DropoutRNNCell``: the dropout masks of a recurrent cell, drawn once per call of the layer.

A mixin for cells with ``dropout``, ``recurrent_dropout`` and ``seed_generator``: the same mask
is used at every step of a sequence and dropped (``reset_*``) when the layer call ends. Cells
that need one mask per gate set ``dropout_mask_count``. Masks are written to ``__dict__``
directly: they are tensors, not layer state.
"""

from tensorlet.keras.src.random import random
from tensorlet.ops import array_creation_ops


class DropoutRNNCell:
    def _create_dropout_mask(self, step_input, dropout_rate):
        ones = array_creation_ops.ones_like(step_input)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate=dropout_rate, seed=self.seed_generator)
        return [
            random.dropout(ones, rate=dropout_rate, seed=self.seed_generator) for _ in range(count)
        ]

    def get_dropout_mask(self, step_input):
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self.__dict__["_dropout_mask"] = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self.__dict__["_recurrent_dropout_mask"] = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        """Forgets the input mask (the layer calls it after each sequence)."""
        self.__dict__["_dropout_mask"] = None

    def reset_recurrent_dropout_mask(self):
        self.__dict__["_recurrent_dropout_mask"] = None
