"""The time loop of recurrent layers (Keras' ``backend.rnn`` on the TensorFlow backend).

``rnn(step_function, inputs, initial_states, ...)`` runs ``step_function(input_t, states)`` over
the time axis and returns ``(last_output, outputs, new_states)``. With a mask, a masked step
keeps the previous states and repeats the previous output (or zeros with
``zero_output_for_mask``); the output before the first step counts as zeros.

Two implementations give the same values:
- a Python loop over the static time dimension (``unroll=True``, eager execution, and traces of
  sequences up to ``UNROLL_IN_GRAPH_MAX`` steps: the unrolled graph runs and differentiates much
  faster than a ``While`` node);
- ``tf.while_loop`` over ``TensorArray``s as in Keras, for an unknown time dimension or long
  sequences inside ``tf.function``.
"""

from tensorlet.framework import dtypes, nest
from tensorlet.framework.context import state
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    control_flow_ops,
    linalg_ops,
    tensor_array_ops,
)

UNROLL_IN_GRAPH_MAX = 400


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Iterates ``step_function(input_t, states) -> (output_t, new_states)`` over time.

    Args:
        step_function: called with the inputs of one step (no time axis) and
            ``tuple(states) + tuple(constants)``.
        inputs: ``(batch, time, ...)`` (``(time, batch, ...)`` if ``time_major``), or a nested
            structure of such tensors.
        initial_states: list of state tensors (possibly nested).
        go_backwards: iterate from the last step; the outputs come out reversed.
        mask: boolean ``(batch, time)``; masked steps carry states and output forward.
        constants: extra tensors appended to the states at every step.
        unroll: always use the Python loop (the time dimension must be known).
        zero_output_for_mask: masked steps output zeros instead of the previous output.
        return_all_outputs: stack every step's output (else only the last, as ``(batch, 1, ...)``).

    Returns:
        ``(last_output, outputs, new_states)``.
    """
    flat_inputs = [convert_to_tensor(x) for x in nest.flatten(inputs)]
    for x in flat_inputs:
        if x.shape.rank is not None and x.shape.rank < 3:
            raise ValueError(f"Shape {x.shape} must have rank at least 3")
    if not time_major:
        flat_inputs = [_swap_batch_time(x) for x in flat_inputs]
    steps = flat_inputs[0].shape[0]
    if mask is not None:
        mask = convert_to_tensor(mask)
        if mask.dtype != dtypes.bool:
            mask = cast_ops.cast(mask, dtypes.bool)
        if mask.shape.rank == 3:
            mask = array_ops.squeeze(mask, axis=-1)
        if not time_major:
            mask = array_ops.transpose(mask, [1, 0])
    constants = tuple(constants or ())
    loop = _python_loop
    if steps is None or not (unroll or state.graph is None or steps <= UNROLL_IN_GRAPH_MAX):
        if unroll:
            raise ValueError("Unrolling requires a fixed number of timesteps.")
        loop = _while_loop
    last_output, outputs, new_states = loop(
        step_function,
        inputs,
        flat_inputs,
        initial_states,
        go_backwards,
        mask,
        constants,
        zero_output_for_mask,
        return_all_outputs,
    )
    if not time_major:
        outputs = nest.map_structure(_swap_batch_time, outputs)
    return last_output, outputs, new_states


def _swap_batch_time(x):
    perm = [1, 0] + list(range(2, x.shape.rank))
    return array_ops.transpose(x, perm)


def _mask_for(mask_t, x):
    """The step mask ``(batch,)`` reshaped to broadcast against ``x`` (batch first)."""
    rank = x.shape.rank
    if rank == 1:
        return mask_t
    return array_ops.reshape(mask_t, [-1] + [1] * (rank - 1))


def _select(mask_t, new, old):
    return [array_ops.where(_mask_for(mask_t, n), n, o) for n, o in zip(new, old)]


def _python_loop(
    step_function,
    inputs,
    flat_inputs,
    initial_states,
    go_backwards,
    mask,
    constants,
    zero_output_for_mask,
    return_all_outputs,
):
    steps = flat_inputs[0].shape[0]
    nested = nest.is_nested(inputs)
    per_step = [array_ops.unstack(x, num=steps) for x in flat_inputs]
    masks = array_ops.unstack(mask, num=steps) if mask is not None else None
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    states = tuple(initial_states)
    outputs = []
    prev = None
    for t in order:
        if nested:
            step_in = nest.pack_sequence_as(inputs, [p[t] for p in per_step])
        else:
            step_in = per_step[0][t]
        output, new_states = step_function(step_in, states + constants)
        if masks is not None:
            flat_out = nest.flatten(output)
            if prev is None or zero_output_for_mask:
                fill = [array_creation_ops.zeros_like(o) for o in flat_out]
            else:
                fill = prev
            prev = _select(masks[t], flat_out, fill)
            output = nest.pack_sequence_as(output, prev)
            flat_states = _select(masks[t], nest.flatten(new_states), nest.flatten(states))
            new_states = nest.pack_sequence_as(states, flat_states)
        states = tuple(new_states) if isinstance(new_states, list) else new_states
        if return_all_outputs:
            outputs.append(output)
        else:
            outputs = [output]
    last_output = outputs[-1]
    flat_outputs = [nest.flatten(o) for o in outputs]
    stacked = [array_ops.stack([o[i] for o in flat_outputs]) for i in range(len(flat_outputs[0]))]
    return last_output, nest.pack_sequence_as(last_output, stacked), list(states)


def _while_loop(
    step_function,
    inputs,
    flat_inputs,
    initial_states,
    go_backwards,
    mask,
    constants,
    zero_output_for_mask,
    return_all_outputs,
):
    time_steps = array_ops.shape(flat_inputs[0])[0]
    input_tas = tuple(
        tensor_array_ops.TensorArray(x.dtype, size=time_steps).unstack(
            array_ops.reverse(x, [0]) if go_backwards else x
        )
        for x in flat_inputs
    )
    # the output structure and dtypes come from one step on the first inputs (as in Keras); the
    # result is not used, so the traced nodes are pruned
    first = nest.pack_sequence_as(inputs, [x[0] for x in flat_inputs])
    output_zero, _ = step_function(first, tuple(initial_states) + constants)
    flat_zero = [array_creation_ops.zeros_like(o) for o in nest.flatten(output_zero)]
    output_tas = tuple(
        tensor_array_ops.TensorArray(
            o.dtype, size=time_steps if return_all_outputs else 1, element_shape=o.shape
        )
        for o in flat_zero
    )
    mask_ta = None
    if mask is not None:
        mask_ta = tensor_array_ops.TensorArray(dtypes.bool, size=time_steps).unstack(
            array_ops.reverse(mask, [0]) if go_backwards else mask
        )
    flat_states = tuple(nest.flatten(initial_states))

    def body(time, out_tas, prev, states):
        step_in = nest.pack_sequence_as(inputs, [ta.read(time) for ta in input_tas])
        packed = nest.pack_sequence_as(initial_states, list(states))
        output, new_states = step_function(step_in, tuple(packed) + constants)
        flat_out = nest.flatten(output)
        flat_new = nest.flatten(new_states)
        if mask_ta is not None:
            mask_t = mask_ta.read(time)
            flat_out = _select(mask_t, flat_out, flat_zero if zero_output_for_mask else prev)
            flat_new = _select(mask_t, flat_new, states)
            prev = tuple(flat_out)
        index = time if return_all_outputs else 0
        out_tas = tuple(ta.write(index, o) for ta, o in zip(out_tas, flat_out))
        return time + 1, out_tas, prev, tuple(flat_new)

    time = convert_to_tensor(0, dtype=dtypes.int32)
    result = control_flow_ops.while_loop(
        lambda time, *_: time < time_steps,
        body,
        (time, output_tas, tuple(flat_zero) if mask is not None else (), flat_states),
        maximum_iterations=time_steps,
    )
    outputs = [ta.stack() for ta in result[1]]
    last = [o[-1] for o in outputs]
    new_states = nest.pack_sequence_as(initial_states, list(result[3]))
    return (
        nest.pack_sequence_as(output_zero, last),
        nest.pack_sequence_as(output_zero, outputs),
        list(new_states),
    )


def project(sequences, kernel):
    """``sequences @ kernel`` over the last axis of ``(batch, time, features)``: the input
    projection of every step as one matrix product, done before the loop."""
    features = kernel.shape[0]
    flat = linalg_ops.matmul(array_ops.reshape(sequences, [-1, features]), kernel)
    lead = sequences.shape[:-1].as_list()
    if None in lead:
        lead = array_ops.shape(sequences)[:-1]
        return array_ops.reshape(flat, array_ops.concat([lead, [kernel.shape[1]]], axis=0))
    return array_ops.reshape(flat, lead + [kernel.shape[1]])
