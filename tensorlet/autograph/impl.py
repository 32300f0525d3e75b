"""Converting Python callables with AutoGraph: source, generated module, caches, ``converted_call``.

A converted function is compiled once per code object (and set of options) from generated
source of the form::

    def __ag_factory(ag__, <the original's free variables>):
        def tf__f(x):
            with ag__.FunctionScope('f', 'fscope', ag__.STD) as fscope:
                ...
        return tf__f

then instantiated per function object with the original's globals, closure cells and default
values, so it sees the same variables as the original. The generated source is registered in
``linecache`` so ``inspect.getsource`` and tracebacks show it.
"""
import ast
import builtins
import enum
import functools
import inspect
import itertools
import linecache
import logging
import os
import textwrap
import types
import weakref

from tensorlet.autograph import operators, py_builtins
from tensorlet.autograph.lowering import Namer
from tensorlet.autograph.transformer import (
    ConversionError,
    convert_function_body,
    convert_lambda,
    strip_signature,
)
from tensorlet.autograph.variables import UndefinedReturnValue
from tensorlet.framework.export import tf_export

_logger = logging.getLogger("tensorflow")

# Modules whose functions are never converted (TF's allowlist: the library itself, NumPy, stdlib).
_DO_NOT_CONVERT_PREFIXES = (
    "tensorlet", "tensorflow", "keras", "numpy", "scipy", "pandas", "builtins", "abc",
    "collections", "copy", "enum", "functools", "inspect", "itertools", "logging", "math",
    "operator", "random", "re", "threading", "typing", "weakref", "contextlib", "dataclasses",
    "pdb", "ipdb", "unittest", "pytest", "_pytest")


@tf_export("autograph.experimental.Feature", "compat.v1.autograph.experimental.Feature")
@enum.unique
class Feature(enum.Enum):
    """Optional AutoGraph conversions (``tf.autograph.experimental.Feature``)."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"

    @classmethod
    def all(cls):
        return tuple(cls.__members__.values())

    @classmethod
    def all_but(cls, exclude):
        if not isinstance(exclude, (list, tuple, set)):
            exclude = (exclude,)
        return tuple(set(cls.all()) - set(exclude) - {cls.ALL})


class ConversionOptions:
    """What a conversion does: recursion into called functions and the optional features."""

    __slots__ = ("internal_convert_user_code", "optional_features", "recursive", "user_requested")

    def __init__(self, recursive=False, user_requested=False, internal_convert_user_code=True,
                 optional_features=None):
        self.recursive = recursive
        self.user_requested = user_requested
        self.internal_convert_user_code = internal_convert_user_code
        if optional_features is None:
            optional_features = ()
        elif isinstance(optional_features, Feature):
            optional_features = (optional_features,)
        self.optional_features = frozenset(optional_features)

    def uses(self, feature):
        return Feature.ALL in self.optional_features or feature in self.optional_features

    def _key(self):
        return self.uses(Feature.ASSERT_STATEMENTS)


STD = ConversionOptions(recursive=True)
_WITH_ASSERTS = ConversionOptions(recursive=True, optional_features=Feature.ASSERT_STATEMENTS)


class FunctionScope:
    """The context of one call of a converted function (``fscope`` in generated code)."""

    __slots__ = ("callopts", "name")

    def __init__(self, function_name, scope_name, options):
        self.name = function_name
        self.callopts = options

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def ret(self, value, did_return):
        """The function's return value: None when no ``return`` ran."""
        del did_return
        if isinstance(value, UndefinedReturnValue):
            return None
        return value


def retval(value):
    """Return value of a converted nested function."""
    return None if isinstance(value, UndefinedReturnValue) else value


# ---------------------------------------------------------------- control status

class Status(enum.Enum):
    UNSPECIFIED = 0
    ENABLED = 1
    DISABLED = 2


class ControlStatusCtx:
    """Whether AutoGraph converts calls made while this context is active."""

    def __init__(self, status, options=None):
        self.status = status
        self.options = options

    def __enter__(self):
        _STATUS_STACK.append(self)
        return self

    def __exit__(self, *exc):
        _STATUS_STACK.remove(self)
        return False


_STATUS_STACK = [ControlStatusCtx(Status.UNSPECIFIED)]


def control_status_ctx():
    """The innermost ``ControlStatusCtx``."""
    return _STATUS_STACK[-1]


# ---------------------------------------------------------------- the ag__ namespace

def _namespace():
    ns = types.SimpleNamespace()
    for n in dir(operators):
        if not n.startswith("_"):
            setattr(ns, n, getattr(operators, n))
    ns.converted_call = converted_call
    ns.FunctionScope = FunctionScope
    ns.ConversionOptions = ConversionOptions
    ns.Feature = Feature
    ns.STD = STD
    ns.WITH_ASSERTS = _WITH_ASSERTS
    ns.retval = retval
    return ns


_AG = None


def _ag():
    global _AG
    if _AG is None:
        _AG = _namespace()
    return _AG


# ---------------------------------------------------------------- parsing

def _function_node(fn):
    """The ``FunctionDef`` (or ``Lambda``) of ``fn`` parsed from its source."""
    code = fn.__code__
    if fn.__name__ == "<lambda>":
        return _lambda_node(fn), True
    try:  # the code object's source: never a decorator's __wrapped__ function
        source = inspect.getsource(code)
    except (OSError, TypeError) as e:
        raise ConversionError(f"could not get source code: {e}") from None
    source = textwrap.dedent(source)
    try:
        module = ast.parse(source)
    except SyntaxError:
        module = _parse_file(code)
    for node in ast.walk(module):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
            return node, False
    raise ConversionError(f"could not find the definition of {fn.__name__} in its source")


def _parse_file(code):
    lines = linecache.getlines(code.co_filename)
    if not lines:
        raise ConversionError("could not get source code")
    try:
        return ast.parse("".join(lines))
    except SyntaxError as e:
        raise ConversionError(f"could not parse the source code: {e}") from None


def _lambda_node(fn):
    code = fn.__code__
    module = _parse_file(code)
    argnames = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.Lambda) and node.lineno == code.co_firstlineno:
            a = node.args
            names = tuple(x.arg for x in a.posonlyargs + a.args + a.kwonlyargs)
            if names == tuple(argnames):
                found.append(node)
    if len(found) != 1:
        raise ConversionError(
            f"could not parse the source code of {fn!r}: found {len(found)} matching lambdas")
    return found[0]


# ---------------------------------------------------------------- compilation

class _Compiled:
    __slots__ = ("function_source", "module_code", "source")

    def __init__(self, module_code, source, function_source):
        self.module_code = module_code
        self.source = source
        self.function_source = function_source


_CODE_CACHE = {}  # (code object, options key) -> _Compiled | ConversionError
_FN_CACHE = weakref.WeakKeyDictionary()  # function -> {options key: converted function}
_COUNTER = itertools.count()


def _compile(fn, options):
    code = fn.__code__
    node, is_lambda = _function_node(fn)
    namer = Namer(node)
    namer.used.update(code.co_freevars)
    namer.used.update(("ag__", "__ag_factory"))
    fscope = namer.new("fscope")
    opts_name = "WITH_ASSERTS" if options._key() else "STD"
    if is_lambda:
        convert_lambda(node, fscope)
        node.args.defaults, node.args.kw_defaults = [], [None] * len(node.args.kwonlyargs)
        scope = ast.Call(func=ast.Attribute(value=ast.Name("ag__", ast.Load()),
                                            attr="FunctionScope", ctx=ast.Load()),
                         args=[ast.Constant("<lambda>"), ast.Constant(fscope),
                               ast.Attribute(value=ast.Name("ag__", ast.Load()), attr=opts_name,
                                             ctx=ast.Load())], keywords=[])
        body = [_assign(fscope, scope), ast.Return(node)]
        fn_node = node
    else:
        strip_signature(node)
        node.name = namer.new("tf__" + code.co_name)
        convert_function_body(node, namer, {"fscope": fscope, "asserts": options._key(),
                                             "name": code.co_name,
                                             "method": "__class__" in code.co_freevars},
                              top_level=True)
        _set_options_name(node, opts_name)
        body = [node, ast.Return(ast.Name(node.name, ast.Load()))]
        fn_node = node
    params = ["ag__"] + list(code.co_freevars)
    factory = ast.FunctionDef(
        name="__ag_factory",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=body, decorator_list=[], returns=None)
    if "type_params" in ast.FunctionDef._fields:
        factory.type_params = []
    module = ast.fix_missing_locations(ast.Module(body=[factory], type_ignores=[]))
    source = ast.unparse(module) + "\n"
    filename = f"<autograph generated {code.co_name} #{next(_COUNTER)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module_code = compile(source, filename, "exec")
    return _Compiled(module_code, source, ast.unparse(fn_node) + "\n")


def _assign(target, value):
    return ast.Assign(targets=[ast.Name(target, ast.Store())], value=value)


def _set_options_name(node, opts_name):
    for n in ast.walk(node):
        if (isinstance(n, ast.Attribute) and n.attr == "STD" and isinstance(n.value, ast.Name)
                and n.value.id == "ag__"):
            n.attr = opts_name


def _compiled(fn, options):
    key = (fn.__code__, options._key())
    c = _CODE_CACHE.get(key)
    if c is None:
        try:
            c = _compile(fn, options)
        except (ConversionError, SyntaxError, ValueError, TypeError, AttributeError,
                KeyError, NotImplementedError) as e:
            c = e if isinstance(e, ConversionError) else ConversionError(
                f"{type(e).__name__}: {e}")
        _CODE_CACHE[key] = c
    if isinstance(c, Exception):
        raise c
    return c


def _instantiate(fn, compiled):
    ns = {}
    exec(compiled.module_code, fn.__globals__, ns)  # noqa: S102 -- our own generated code
    factory = ns["__ag_factory"]
    freevars = fn.__code__.co_freevars
    new = factory(_ag(), *([None] * len(freevars)))
    orig_cells = dict(zip(freevars, fn.__closure__ or ()))
    cells = tuple(orig_cells.get(n, c) for n, c in zip(new.__code__.co_freevars,
                                                         new.__closure__ or ()))
    conv = types.FunctionType(new.__code__, fn.__globals__, new.__name__, fn.__defaults__,
                              cells or None)
    conv.__kwdefaults__ = fn.__kwdefaults__
    conv.__doc__ = fn.__doc__
    conv.__module__ = fn.__module__
    conv.__qualname__ = fn.__qualname__
    conv.autograph_info__ = {"source": compiled.function_source}
    return conv


def convert_function(fn, options=STD):
    """The converted version of a plain function ``fn`` (raises ConversionError)."""
    if is_autograph_artifact(fn):
        return fn
    per_fn = _FN_CACHE.get(fn)
    key = options._key()
    if per_fn is not None and key in per_fn:
        return per_fn[key]
    conv = _instantiate(fn, _compiled(fn, options))
    _FN_CACHE.setdefault(fn, {})[key] = conv
    return conv


# ---------------------------------------------------------------- what gets converted

def is_autograph_artifact(f):
    return hasattr(f, "autograph_info__")


_TENSORLET_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _allowlisted(f):
    if getattr(f, "__ag_do_not_convert__", False):
        return True
    code = getattr(f, "__code__", None)
    if code is None:
        return True
    fname = code.co_filename
    if fname == "<string>" or fname.startswith("<autograph generated"):
        return True
    module = (getattr(f, "__module__", None) or "").split(".")[0]
    if module == "tensorlet":  # library code, not user code run in its namespace (doctests)
        return fname.startswith(_TENSORLET_DIR)
    return module in _DO_NOT_CONVERT_PREFIXES


def _fall_back(f, exc):
    key = getattr(f, "__code__", f)
    if key in _WARNED:
        return
    _WARNED.add(key)
    _logger.warning(
        "AutoGraph could not transform %s and will run it as-is.\nCause: %s\nTo silence this "
        "warning, decorate the function with @tf.autograph.experimental.do_not_convert", f, exc)


_WARNED = set()


def _target(f, args):
    """``(plain function to convert, effective args)`` for a callable, or ``(None, args)``."""
    if inspect.isfunction(f):
        return f, args
    if inspect.ismethod(f) and inspect.isfunction(f.__func__):
        return f.__func__, (f.__self__,) + tuple(args)
    if inspect.isclass(f) or isinstance(f, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        return None, args
    call = getattr(type(f), "__call__", None)
    if inspect.isfunction(call):
        return call, (f,) + tuple(args)
    return None, args


def converted_call(f, args, kwargs, caller_fn_scope=None, options=None):
    """Calls ``f(*args, **kwargs)``, converting ``f`` first when it is user code."""
    if options is None:
        options = caller_fn_scope.callopts if caller_fn_scope is not None else STD
    if kwargs is None:
        kwargs = {}
    if control_status_ctx().status is Status.DISABLED or is_autograph_artifact(f):
        return f(*args, **kwargs)
    if isinstance(f, functools.partial):
        merged = dict(f.keywords or {})
        merged.update(kwargs)
        return converted_call(f.func, f.args + tuple(args), merged, caller_fn_scope, options)
    overload = py_builtins.overload_of(f)
    if overload is not f:
        return overload(*args, **kwargs)
    if not options.recursive:
        return f(*args, **kwargs)
    target, eff_args = _target(f, args)
    if target is None or _allowlisted(target) or inspect.isgeneratorfunction(target):
        return f(*args, **kwargs)
    try:
        conv = convert_function(target, options)
    except ConversionError as e:
        if target.__name__ != "<lambda>":
            _fall_back(f, e)
        return f(*args, **kwargs)
    return conv(*eff_args, **kwargs)


# ---------------------------------------------------------------- entry points

def convert(fn, optional_features=None):
    """``fn`` converted by AutoGraph (cached), or ``fn`` itself when it cannot be converted
    (no source code, builtins, generators) or must not be (library code, ``do_not_convert``).

    This is what ``tf.function(autograph=True)`` applies to its Python function.
    """
    options = ConversionOptions(recursive=True, user_requested=True,
                                optional_features=optional_features)
    if is_autograph_artifact(fn) or getattr(fn, "__ag_do_not_convert__", False):
        return fn
    if inspect.ismethod(fn):
        conv = convert(fn.__func__, optional_features)
        return fn if conv is fn.__func__ else types.MethodType(conv, fn.__self__)
    if isinstance(fn, functools.partial):
        conv = convert(fn.func, optional_features)
        return fn if conv is fn.func else functools.partial(conv, *fn.args, **(fn.keywords or {}))
    if not inspect.isfunction(fn) or inspect.isgeneratorfunction(fn) or \
            inspect.iscoroutinefunction(fn) or _allowlisted(fn):
        return fn
    code = fn.__code__
    if code.co_filename == "<string>" or code.co_filename.startswith("<autograph generated"):
        return fn
    try:
        return convert_function(fn, options)
    except ConversionError as e:
        if fn.__name__ != "<lambda>":
            _fall_back(fn, e)
        return fn


@tf_export("autograph.to_graph")
def to_graph(entity, recursive=True, experimental_optional_features=None):
    """The converted function (raises ``ConversionError`` when ``entity`` cannot be converted)."""
    options = ConversionOptions(recursive=recursive, user_requested=True,
                                optional_features=experimental_optional_features)
    try:
        if inspect.ismethod(entity):
            return types.MethodType(convert_function(entity.__func__, options), entity.__self__)
        if hasattr(entity, "__code__") and _allowlisted(entity) and not getattr(
                entity, "__ag_do_not_convert__", False):
            return entity  # library code holds no tensor-dependent Python control flow
        if not hasattr(entity, "__code__"):
            raise ValueError("Cannot apply autograph to a function that doesn't expose a "
                             "__code__ object. If this is a @tf.function, try passing "
                             "f.python_function instead.")
        return convert_function(entity, options)
    except (ValueError, AttributeError, KeyError, NameError, AssertionError,
            ConversionError) as e:
        raise ConversionError(f"converting {entity}: {e.__class__.__name__}: {e!s}") from None


@tf_export("autograph.to_code")
def to_code(entity, recursive=True, experimental_optional_features=None):
    """The source code AutoGraph generates for ``entity`` (``def tf__<name>(...): ...``).

    Example:
        >>> def f(x):
        ...   if x < 0:
        ...     x = -x
        ...   return x
        >>> print(tf.autograph.to_code(f).splitlines()[0])
        def tf__f(x):
    """
    conv = to_graph(entity, recursive, experimental_optional_features)
    fn = getattr(conv, "__func__", conv)
    return textwrap.dedent(fn.autograph_info__["source"])


@tf_export("compat.v1.autograph.to_graph")
def to_graph_v1(entity, recursive=True, arg_values=None, arg_types=None,
                experimental_optional_features=None):
    """TF1 signature of ``to_graph`` (``arg_values``/``arg_types`` are ignored)."""
    return to_graph(entity, recursive, experimental_optional_features)


@tf_export("compat.v1.autograph.to_code")
def to_code_v1(entity, recursive=True, arg_values=None, arg_types=None, indentation="  ",
               experimental_optional_features=None):
    """TF1 signature of ``to_code`` (``arg_values``/``arg_types``/``indentation`` are ignored)."""
    return to_code(entity, recursive, experimental_optional_features)


@tf_export("autograph.experimental.do_not_convert",
           "compat.v1.autograph.experimental.do_not_convert")
def do_not_convert(func=None):
    """Marks ``func`` so that AutoGraph never converts it (nor the calls it makes)."""
    if func is None:
        return do_not_convert

    def wrapper(*args, **kwargs):
        with ControlStatusCtx(Status.DISABLED):
            return func(*args, **kwargs)

    if inspect.isfunction(func) or inspect.ismethod(func):
        wrapper = functools.update_wrapper(wrapper, func)
    wrapper.__ag_do_not_convert__ = True
    wrapper.autograph_info__ = {}
    return wrapper


def tf_convert(f, ctx, convert_by_default=True, user_requested=False):
    """Converts ``f`` if the AutoGraph context ``ctx`` asks for it (for library code that
    calls user functions, such as Keras layers' ``call``)."""
    if is_autograph_artifact(f):
        return f
    if ctx.status is Status.ENABLED or (ctx.status is Status.UNSPECIFIED and convert_by_default):
        conv = convert(f)

        def wrapper(*args, **kwargs):
            with ControlStatusCtx(Status.ENABLED):
                return conv(*args, **kwargs)
    else:
        wrapper = do_not_convert(f)
    if inspect.isfunction(f) or inspect.ismethod(f):
        wrapper = functools.update_wrapper(wrapper, f)
    wrapper.autograph_info__ = {}
    return wrapper


_VERBOSITY = [0]


@tf_export("autograph.set_verbosity", "compat.v1.autograph.set_verbosity")
def set_verbosity(level, alsologtostdout=False):
    """AutoGraph's logging verbosity (0: none; 3: include generated code)."""
    _VERBOSITY[0] = level


@tf_export("autograph.trace", "compat.v1.autograph.trace")
def trace(*args):
    """Prints its arguments at conversion (tracing) time."""
    builtins.print(*args)


@tf_export("autograph.experimental.set_loop_options",
           "compat.v1.autograph.experimental.set_loop_options")
def set_loop_options(parallel_iterations=py_builtins.UNSPECIFIED, swap_memory=py_builtins.UNSPECIFIED,
                     maximum_iterations=py_builtins.UNSPECIFIED,
                     shape_invariants=py_builtins.UNSPECIFIED):
    """Loop options for the enclosing converted loop (a directive read by the converter;
    calling it has no effect at run time)."""


__all__ = [
    "ControlStatusCtx",
    "ConversionOptions",
    "Feature",
    "FunctionScope",
    "Status",
    "convert",
    "converted_call",
    "do_not_convert",
    "tf_convert",
    "to_code",
    "to_graph",
]
