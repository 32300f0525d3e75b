"""``tf.function``.

For now every call runs the Python function eagerly, which is exactly TF's behaviour under
``tf.config.run_functions_eagerly(True)``: same results, no graph. Tracing to a graph, the trace
cache, AutoGraph and the optimizing executor are the tf.function issue's work.
"""
import functools

from tensorlet.framework.export import tf_export


class Function:
    """A callable wrapping ``python_function`` (TF's ``PolymorphicFunction``)."""

    def __init__(self, python_function, name=None, input_signature=None, autograph=True,
                 jit_compile=None, reduce_retracing=False):
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._input_signature = input_signature
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def __call__(self, *args, **kwargs):
        return self._python_function(*args, **kwargs)

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def __repr__(self):
        return f"<tensorlet.function.Function {self._name}>"


@tf_export("function")
def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None, experimental_autograph_options=None,
             experimental_attributes=None, experimental_relax_shapes=None,
             experimental_compile=None, experimental_follow_type_hints=None):
    """Wraps ``func`` as a ``tf.function`` (usable as ``@tf.function`` or ``@tf.function(...)``)."""

    def decorate(f):
        return Function(f, input_signature=input_signature, autograph=autograph,
                        jit_compile=jit_compile, reduce_retracing=reduce_retracing)

    return decorate if func is None else decorate(func)
