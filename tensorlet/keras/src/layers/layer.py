"""``keras.Layer``: the base class of layers and models.

A layer stores its configuration in ``__init__``, creates its weights in ``build(input_shape)``
(called on the first ``__call__``) and computes in ``call``. State is found by walking the
layer's attributes (variables, sub-layers, seed generators and metrics, also inside lists,
tuples and dicts), so ``weights`` / ``trainable_weights`` follow Keras' order: the layer's own
variables (trainable first), then each sub-layer's, depth first.

Calling a layer on KerasTensors (``keras.Input``) builds it and returns the output specs, which
is how Sequential and functional models are assembled.
"""

import functools
import inspect
import math
import warnings

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor
from tensorlet.keras.src import backend, dtype_policies, initializers
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.call_context import CallContext, call_info
from tensorlet.keras.src.layers.input_spec import assert_input_compatibility
from tensorlet.keras.src.layers.layer_utils import (
    any_keras_tensor,
    get_optional,
    is_shape,
    shape_tuple,
    specs,
)
from tensorlet.keras.src.layers.state_tracking import collect, trackable, unique
from tensorlet.keras.src.ops.node import Node
from tensorlet.keras.src.ops.operation import Operation, default
from tensorlet.keras.src.utils import traceback_utils, tracking
from tensorlet.ops import array_ops, math_ops

_NOT_STATE = frozenset(
    (
        "_inbound_nodes",
        "_outbound_nodes",
        "_build_shapes_dict",
        "_input_spec",
        "_dtype_policy",
        "_auto_config",
        "_call_info",
        "_losses",
        "name",
        "_tracked_cache",
        "_keras_history",
        "_called",
        "built",
        # the trainer's (keras.Model.compile): not the model's state, as in Keras
        "optimizer",
        "_loss_tracker",
        "_compile_loss",
        "_compile_metrics",
        "_compile_config",
        "history",
        "train_function",
        "test_function",
        "predict_function",
    )
)


@keras_export("keras.Layer", "keras.layers.Layer")
class Layer(Operation):
    """Base class of all layers: config in ``__init__``, weights in ``build``, math in ``call``.

    Args:
        trainable: whether the layer's variables are updated by training (default True).
        dtype: the dtype policy: a name (``'float32'``, ``'mixed_float16'``) or a DTypePolicy.
        autocast: whether float inputs are cast to the compute dtype (default True).
        name: the layer name (default: the snake-cased class name, made unique).

    Example:
        >>> class Linear(keras.layers.Layer):
        ...     def __init__(self, units=2, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.units = units
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1], self.units))
        ...     def call(self, x):
        ...         return tf.matmul(x, self.w)
        >>> Linear()(tf.ones((1, 3))).shape
        TensorShape([1, 2])
    """

    _is_keras_layer = True  # how state_tracking recognises sub-layers

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_keras_build_wrapper", False):
            cls.build = _wrap_build(build)

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        tracking.bump()
        self._tracked_cache = None
        self._own_variables = []  # add_weight() results, in creation order
        Operation.__init__(self, name=name)
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {self.__class__.__name__}: {kwargs}"
            )
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            input_shape, batch_size = tuple(batch_input_shape)[1:], batch_input_shape[0]
        if input_shape is not None:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                "using Sequential models, prefer using an `Input(shape)` object as the "
                "first layer in the model instead.",
                stacklevel=2,
            )
            self._input_shape_arg = tuple(input_shape)
            self._batch_size_arg = batch_size
        self.built = False
        self._trainable = bool(trainable)
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.activity_regularizer = get_optional("regularizers", activity_regularizer)
        self._input_spec = None
        self._called = False
        self._losses = []
        self._build_shapes_dict = None
        self.supports_masking = False
        self._call_info = call_info(type(self))

    # ---------------------------------------------------------------- building
    @default
    def build(self, input_shape):
        """Creates the weights; the default (a stateless layer) only marks it built."""
        self.built = True

    build._keras_build_wrapper = True

    def _build_at_init(self):
        """Marks a layer without ``build`` as built right away, as Keras does."""
        if getattr(type(self).build, "_is_default", False):
            self.built = True

    def build_from_config(self, config):
        """Builds from ``get_build_config()`` output (used when loading)."""
        if config:
            if "input_shape" in config:
                self.build(config["input_shape"])
            elif "shapes_dict" in config:
                self.build(**config["shapes_dict"])
            self.built = True

    def get_build_config(self):
        if self._build_shapes_dict is None:
            return None
        if len(self._build_shapes_dict) == 1:
            return {"input_shape": next(iter(self._build_shapes_dict.values()))}
        return {"shapes_dict": self._build_shapes_dict}

    def _maybe_build(self, args, kwargs=None):
        """Builds from the call's input shapes: ``build(input_shape)`` gets the first tensor
        argument's shape; a ``build`` with several parameters gets ``<arg>_shape`` for each
        tensor argument of ``call`` by name (``build(self, query_shape, value_shape)``)."""
        if self.built:
            return
        params = _build_params(type(self))
        if getattr(type(self).build, "_is_default", False):
            # the default build: the build config records the call's tensor-argument shapes
            try:
                bound = inspect.signature(self.call).bind(*args, **(kwargs or {})).arguments
            except TypeError:
                bound = {}
            self._build_shapes_dict = {
                f"{k}_shape": nest.map_structure(shape_tuple, v)
                for k, v in bound.items()
                if k not in ("mask", "training") and v is not None
                and all(hasattr(t, "shape") for t in nest.flatten(v))
            }
        if len(params) <= 1:
            first = args[0] if args else next(
                (v for k, v in (kwargs or {}).items() if k not in ("mask", "training")), None
            )
            shape = nest.map_structure(shape_tuple, first) if first is not None else None
            self.build(shape)
        else:
            try:
                bound = inspect.signature(self.call).bind(*args, **(kwargs or {})).arguments
            except TypeError:
                bound = {}
            shapes = {}
            for name in params:
                if not name.endswith("_shape"):
                    raise ValueError(
                        "For a `build()` method with more than one argument, all arguments "
                        "should have a `_shape` suffix and match an argument from `call()`. "
                        f"E.g. `build(self, foo_shape, bar_shape)` For layer "
                        f"'{type(self).__name__}', Received `build()` argument `{name}`, which "
                        "does not end in `_shape`."
                    )
                value = bound.get(name[: -len("_shape")])
                if value is not None:
                    shapes[name] = nest.map_structure(shape_tuple, value)
            self.build(**shapes)
        self.built = True

    # ---------------------------------------------------------------- weights
    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight variable of this layer (path ``'<layer name>/<name>'``).

        Args:
            shape: the shape (default ``()``).
            initializer: an initializer or its name (default ``'glorot_uniform'`` for floats,
                ``'zeros'`` otherwise).
            dtype: the dtype (default: the layer's variable dtype).
            trainable: whether training updates it.
            regularizer, constraint: optional regularizer / constraint objects or names.
            name: the variable name.
        """
        shape = () if shape is None else shape
        dtype = backend.standardize_dtype(dtype) if dtype is not None else self.variable_dtype
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        initializer = initializers.get(initializer)
        with backend.name_scope(self.name, caller=self):
            variable = backend.Variable(
                initializer=initializer,
                shape=shape,
                dtype=dtype,
                trainable=trainable,
                autocast=autocast,
                aggregation=aggregation,
                name=name,
            )
        variable.regularizer = get_optional("regularizers", regularizer)
        variable.constraint = get_optional("constraints", constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        self._own_variables.append(variable)
        tracking.bump()
        return variable

    def add_variable(
        self,
        shape,
        initializer,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ):
        """An alias of ``add_weight`` (shape and initializer required)."""
        return self.add_weight(
            shape=shape,
            initializer=initializer,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            regularizer=regularizer,
            constraint=constraint,
            name=name,
        )

    def __setattr__(self, name, value):
        if name not in _NOT_STATE and (trackable(value) or trackable(self.__dict__.get(name))):
            value = tracking.wrap(value)
            tracking.bump()
        object.__setattr__(self, name, value)

    def _tracked(self):
        """(variables, layers, seed generators, metrics) held by this layer's attributes."""
        cache = self.__dict__.get("_tracked_cache")
        if cache is not None and cache[0] == tracking.generation[0]:
            return cache[1]
        found = ([], [], [], [])
        seen = set()
        for key, value in self.__dict__.items():
            if key not in _NOT_STATE:
                collect(value, found, seen, self)
        self.__dict__["_tracked_cache"] = (tracking.generation[0], found)
        return found

    def _flatten_layers(self, include_self=True, recursive=True):
        out, seen, stack = [], set(), [self]
        while stack:
            layer = stack.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            if layer is not self or include_self:
                out.append(layer)
            if recursive or layer is self:
                children = layer._tracked()[1]
                stack = [c for c in children if id(c) not in seen] + stack
        return out

    @property
    def _layers(self):
        return self._tracked()[1]

    def _own_weights(self):
        variables = self._tracked()[0]
        return [v for v in variables if v.trainable] + [v for v in variables if not v.trainable]

    @property
    def weights(self):
        """All weights, own first (trainable, then non-trainable), then sub-layers'."""
        return unique(w for layer in self._flatten_layers() for w in layer._own_weights())

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def variables(self):
        """All state: the weights plus seed-generator states and metric variables."""
        out = []
        for layer in self._flatten_layers():
            variables, _, seed_generators, metrics = layer._tracked()
            out.extend(v for v in variables if v.trainable)
            out.extend(v for v in variables if not v.trainable)
            out.extend(sg.state for sg in seed_generators)
            for m in metrics:
                out.extend(m.variables)
        return unique(out)

    @property
    def trainable_variables(self):
        if not self.trainable:
            return []
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_variables(self):
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    @property
    def metrics(self):
        return unique(m for layer in self._flatten_layers() for m in layer._tracked()[3])

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in m.variables]

    def get_weights(self):
        """The values of ``weights`` as NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets ``weights`` from a list of arrays (same order and shapes as ``get_weights``)."""
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a "
                f"weight list of length {len(weights)}, but the layer was expecting "
                f"{len(layer_weights)} weights."
            )
        for variable, value in zip(layer_weights, weights):
            value_shape = tuple(getattr(value, "shape", ()))
            if hasattr(value_shape, "as_list"):
                value_shape = tuple(value.shape.as_list())
            if variable.shape != tuple(value_shape):
                raise ValueError(
                    f"Layer {self.name} weight shape {variable.shape} is not "
                    "compatible with provided weight shape "
                    f"{tuple(value_shape)}."
                )
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the weights (the layer must be built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the "
                "layer isn't built. You can build it manually via: "
                "`layer.build(input_shape)`."
            )
        return int(sum(math.prod(v.shape) for v in self.weights))

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._own_weights():
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    # ---------------------------------------------------------------- losses
    def add_loss(self, loss):
        """Adds a loss tensor (collected by ``layer.losses``)."""
        for x in nest.flatten(loss):
            self._losses.append(x)

    @property
    def losses(self):
        """Added losses plus the weight regularization losses, of this layer and sub-layers."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for v in layer._own_weights():
                if v.regularizer is not None:
                    out.append(v.regularizer(v))
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses = []

    # ---------------------------------------------------------------- dtypes
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self):
        """The variable dtype (``'float32'``)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def path(self):
        return getattr(self, "_path", None) or self.name

    # ---------------------------------------------------------------- input spec
    @property
    def input_spec(self):
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value):
        self._input_spec = value

    # ---------------------------------------------------------------- calling
    def __call__(self, *args, **kwargs):
        if "_own_variables" not in self.__dict__:
            raise RuntimeError(
                f"In layer '{self.__class__.__name__}', you forgot to call "
                "`super().__init__()` as the first statement in the `__init__()` "
                "method. Go add it!"
            )
        args = tuple(
            self._convert_input(a)
            if not isinstance(a, (list, tuple, dict))
            else nest.map_structure(self._convert_input, a)
            for a in args
        )
        if any_keras_tensor(args, kwargs):
            return self._symbolic_call(args, kwargs)
        kwargs, training = self._resolve_training(args, kwargs)
        previous_mask = _keras_mask_of(args[0]) if args else None
        if self._call_info.has_mask and kwargs.get("mask") is None and len(args) == 1:
            kwargs["mask"] = previous_mask  # Keras passes the input's mask (or None) as call(mask=)
        if args:
            assert_input_compatibility(self._input_spec, args[0], self.name)
        context = CallContext.enter(training)
        if context == 1:  # the outermost call: losses of earlier calls are dropped (Keras)
            self._clear_losses()
        try:
            with backend.name_scope(self.name, caller=self):
                self._maybe_build(args, kwargs)
                try:
                    outputs = self.call(*args, **kwargs)
                except Exception as e:  # Keras' "Exception encountered when calling X.call()"
                    raise traceback_utils.with_call_context(
                        e, self.call, args, kwargs, f"{type(self).__name__}.call()"
                    ) from None
            if self.activity_regularizer is not None:
                for out in nest.flatten(outputs):
                    if not isinstance(out, Tensor):
                        continue
                    loss = self.activity_regularizer(out)
                    if out.shape.rank:  # Keras normalizes by the batch size
                        batch = backend.cast(array_ops.shape(out)[0], loss.dtype)
                        loss = math_ops.div_no_nan(loss, batch)
                    self.add_loss(loss)
            if self.supports_masking:
                _set_mask_metadata(self, args[0] if args else None, outputs, previous_mask)
            elif previous_mask is not None and any(
                m is not None for m in nest.flatten(previous_mask)
            ):
                warnings.warn(
                    f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input "
                    "with a mask attached to it. However, this layer does not support masking "
                    "and will therefore destroy the mask information. Downstream layers will "
                    "not see the mask.",
                    stacklevel=2,
                )
        finally:
            CallContext.exit(context)
        if not self._called:
            self._called = True
        return outputs

    def _convert_input(self, x):
        if isinstance(x, Tensor):
            if self.autocast and x.dtype.is_floating and x.dtype.name != self.input_dtype:
                x = backend.cast(x, self.input_dtype)
            return x
        if isinstance(x, KerasTensor) or x is None:
            return x
        if hasattr(x, "__array__") and not getattr(x, "_is_keras_variable", False):
            try:  # NumPy arrays (and tf.Variables) become tensors, as in Keras
                x = backend.convert_to_tensor(x)
            except (TypeError, ValueError):
                return x
            if self.autocast and x.dtype.is_floating and x.dtype.name != self.input_dtype:
                x = backend.cast(x, self.input_dtype)
        return x

    def _resolve_training(self, args, kwargs):
        """``training``: explicit argument > enclosing layer's call > call signature default.

        Returns the call's kwargs (``training`` only passed when ``call`` accepts it) and the
        value nested layer calls see."""
        info = self._call_info
        training = kwargs.get("training")
        if training is None and info.training_index is not None and len(args) > info.training_index:
            return kwargs, args[info.training_index]
        if training is None:
            training = CallContext.training()
            if training is None:
                training = info.training_default
        if info.has_training:
            if training is not None and kwargs.get("training") is None:
                kwargs = dict(kwargs, training=training)
        elif "training" in kwargs and not info.has_kwargs:
            kwargs = {k: v for k, v in kwargs.items() if k != "training"}
        return kwargs, training

    def _symbolic_call(self, args, kwargs):
        with backend.name_scope(self.name, caller=self):
            self._maybe_build(args, kwargs)
        if args:
            assert_input_compatibility(self._input_spec, args[0], self.name)
        kwargs, _ = self._resolve_training(args, kwargs)
        if self._call_info.has_mask and kwargs.get("mask") is None and len(args) == 1:
            kwargs["mask"] = getattr(args[0], "_keras_mask", None)  # recorded as in Keras
        try:
            outputs = self.compute_output_spec(*args, **kwargs)
        except Exception as e:
            raise traceback_utils.with_call_context(
                e, self.call, args, kwargs, f"{type(self).__name__}.call()"
            ) from None
        Node(operation=self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        self._called = True
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {self.__class__.__name__} does not have a `call()` method implemented."
        )

    def compute_output_spec(self, *args, **kwargs):
        """Output KerasTensors for KerasTensor inputs (via ``compute_output_shape`` if the layer
        defines it, else by running ``call`` on small concrete inputs)."""
        if getattr(type(self).compute_output_shape, "_is_default", False):
            return self._output_spec_by_calling(*args, **kwargs)
        shape = nest.map_structure(shape_tuple, args[0]) if not is_shape(args[0]) else args[0]
        return specs(self.compute_output_shape(shape), self.compute_dtype)

    def _output_spec_by_calling(self, *args, **kwargs):
        """Output KerasTensors found by running ``call`` on small concrete inputs."""

        def run(*a, **k):
            with backend.name_scope(self.name, caller=self):
                return self.call(*a, **k)

        return backend.compute_output_spec(run, *args, **kwargs)

    @default
    def compute_output_shape(self, *args, **kwargs):
        """The output shape for an input shape (default: found by running ``call``)."""
        inputs = tuple(specs(a, self.input_dtype) for a in args)
        out = self.compute_output_spec(*inputs, **kwargs)
        return nest.map_structure(lambda t: t.shape, out)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask if self.supports_masking else None

    # ---------------------------------------------------------------- config
    @default
    def get_config(self):
        """``{"name", "trainable", "dtype"}``; subclasses add their constructor arguments."""
        base = Operation.get_config(self) if _uses_default_config(self) else {"name": self.name}
        config = {
            "trainable": self.trainable,
            "dtype": dtype_policies.serialize(self._dtype_policy),
        }
        return {**base, **config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = dtype_policies.deserialize(config["dtype"])
        try:
            return cls(**config)
        except Exception as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config="
                f"{config}.\n\nException encountered: {e}"
            ) from e

    def save_own_variables(self, store):
        for i, v in enumerate(self._own_weights()):
            store[f"{i}"] = v.numpy()

    def load_own_variables(self, store):
        own = self._own_weights()
        if len(store.keys()) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expected {len(own)} variables, but received "
                f"{len(store.keys())} variables during loading. Expected: "
                f"{[v.name for v in own]}"
            )
        for i, v in enumerate(own):
            v.assign(store[f"{i}"])

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}, built={self.built}>"

    __str__ = __repr__


# ------------------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=None)
def _build_params(cls):
    """Names of the parameters of ``cls.build`` (besides self)."""
    try:
        sig = inspect.signature(cls.build)
    except (TypeError, ValueError):
        return ("input_shape",)
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.POSITIONAL_ONLY,
             inspect.Parameter.KEYWORD_ONLY)
    return tuple(p.name for p in list(sig.parameters.values())[1:] if p.kind in kinds)


def _keras_mask_of(x):
    """The Keras mask(s) attached to a call's first argument (a structure), or None."""
    if isinstance(x, Tensor):
        return getattr(x, "_keras_mask", None)
    if isinstance(x, (list, tuple)):
        masks = [_keras_mask_of(e) for e in x]
        return masks if any(m is not None for m in masks) else None
    return None


def _set_mask_metadata(layer, inputs, outputs, previous_mask):
    flat = [t for t in nest.flatten(outputs) if isinstance(t, Tensor)]
    if not flat or all(getattr(t, "_keras_mask", None) is not None for t in flat):
        return
    masks = layer.compute_mask(inputs, previous_mask)
    if masks is None:
        return
    for tensor, mask in zip(flat, nest.flatten(masks)):
        if mask is not None and getattr(tensor, "_keras_mask", None) is None:
            try:
                tensor._keras_mask = mask
            except AttributeError:  # a tensor type without the slot (ragged, sparse)
                pass


def _wrap_build(build):
    @functools.wraps(build)
    def build_wrapper(self, *args, **kwargs):
        with backend.name_scope(self.name, caller=self):
            self._path = backend.current_path()
            build(self, *args, **kwargs)
        try:  # the build config: this build's own arguments (the outermost wrapper wins)
            bound = inspect.signature(build).bind(self, *args, **kwargs).arguments
            bound.pop(next(iter(bound)))
            self._build_shapes_dict = dict(bound)
        except TypeError:
            self._build_shapes_dict = {}
        self.built = True

    build_wrapper._keras_build_wrapper = True
    build_wrapper._is_default = False
    return build_wrapper


def _uses_default_config(layer):
    for klass in type(layer).__mro__:
        fn = klass.__dict__.get("get_config")
        if fn is not None:
            return getattr(fn, "_is_default", False)
    return True
