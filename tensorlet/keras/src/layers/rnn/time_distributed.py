"""``keras.layers.TimeDistributed``: one layer applied to every time slice of ``(batch, time, ...)``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.call_context import call_info
from tensorlet.keras.src.layers.core.wrapper import Wrapper
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.TimeDistributed")
class TimeDistributed(Wrapper):
    """Applies ``layer`` to every temporal slice ``inputs[:, t]`` (the same weights each time).

    Args:
        layer: a ``keras.layers.Layer`` instance.

    Call arguments:
        inputs: ``(batch, time, ...)``; training and mask are passed on when the layer takes them.

    Example:
        >>> layer = keras.layers.TimeDistributed(keras.layers.Dense(2))
        >>> layer(tf.ones((3, 4, 5))).shape
        TensorShape([3, 4, 2])
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
                f"instance. Received: {layer}"
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _get_child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                f"dimensions, received: {input_shape}"
            )
        return (input_shape[0], *input_shape[2:])

    def compute_output_shape(self, input_shape):
        child_output_shape = self.layer.compute_output_shape(
            self._get_child_input_shape(input_shape)
        )
        return (child_output_shape[0], input_shape[1], *child_output_shape[1:])

    def build(self, input_shape):
        # not super().build(): the build wrapper would record the child's shape as this
        # layer's build config
        if not self.layer.built:
            self.layer.build(self._get_child_input_shape(input_shape))
            self.layer.built = True

    def call(self, inputs, training=None, mask=None):
        batch_size, timesteps = inputs.shape[0], inputs.shape[1]
        if mask is not None and tuple(mask.shape)[:2] != (batch_size, timesteps):
            raise ValueError(
                "`TimeDistributed` Layer should be passed a `mask` of shape "
                f"({batch_size}, {timesteps}, ...), received: mask.shape={tuple(mask.shape)}"
            )
        info = call_info(type(self.layer))
        kwargs = {"training": training} if info.has_training else {}
        if timesteps is None:  # unknown length: fold time into the batch
            return self._call_folded(inputs, kwargs, mask if info.has_mask else None)
        steps = array_ops.unstack(inputs, num=timesteps, axis=1)
        masks = array_ops.unstack(mask, num=timesteps, axis=1) if mask is not None else None
        outputs = []
        for i, x in enumerate(steps):
            step_kwargs = dict(kwargs)
            if masks is not None and info.has_mask:
                step_kwargs["mask"] = masks[i]
            outputs.append(self.layer.call(x, **step_kwargs))
        return array_ops.stack(outputs, axis=1)

    def _call_folded(self, inputs, kwargs, mask):
        shape = array_ops.shape(inputs)
        folded = array_ops.reshape(inputs, array_ops.concat([[-1], shape[2:]], axis=0))
        if mask is not None:
            kwargs = dict(kwargs, mask=array_ops.reshape(mask, [-1]))
        out = self.layer.call(folded, **kwargs)
        out_shape = array_ops.shape(out)
        return array_ops.reshape(out, array_ops.concat([shape[:2], out_shape[1:]], axis=0))
