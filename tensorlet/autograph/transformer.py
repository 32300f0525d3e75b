"""The AutoGraph source transformer: a Python function's AST in, the converted function out.

Passes, in TF's order:
1. ``return`` normalization, then ``break``/``continue``/``return`` lowering (``lowering``);
2. expressions: calls become ``ag__.converted_call``, ``and``/``or``/``not`` and ``x if c else y``
   become ``ag__.and_``/``or_``/``not_``/``if_exp`` (lazy thunks), ``assert`` becomes
   ``ag__.assert_stmt`` when the ASSERT_STATEMENTS feature is on;
3. control flow: each ``if``/``while``/``for`` becomes ``ag__.if_stmt``/``while_stmt``/``for_stmt``
   over generated ``if_body``/``loop_body``/``get_state``/``set_state`` functions, with the state
   chosen by liveness (``analysis``) and ``ag__.Undefined`` for variables first defined inside.
"""
import ast

from tensorlet.autograph import analysis, lowering
from tensorlet.autograph.lowering import assign, name

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_UNCONVERTED_CALLS = {"super", "eval", "exec", "locals", "globals", "vars", "dir", "print"}


class ConversionError(Exception):
    """AutoGraph could not convert a function (it then runs unconverted)."""


class UnsupportedLanguageElementError(ConversionError, NotImplementedError):
    """A construct AutoGraph does not convert (TF's: loop ``else`` clauses, mangled names)."""


class _UnsupportedChecker(ast.NodeVisitor):
    def visit_Attribute(self, node):
        if node.attr.startswith("__") and not node.attr.endswith("__"):
            raise UnsupportedLanguageElementError("mangled names are not yet supported")
        self.generic_visit(node)

    def visit_For(self, node):
        if node.orelse:
            raise UnsupportedLanguageElementError("for/else statement not yet supported")
        self.generic_visit(node)

    def visit_While(self, node):
        if node.orelse:
            raise UnsupportedLanguageElementError("while/else statement not yet supported")
        self.generic_visit(node)


def _ag(attr):
    return ast.Attribute(value=name("ag__"), attr=attr, ctx=ast.Load())


def _call(func, *args):
    return ast.Call(func=func, args=list(args), keywords=[])


def _thunk(expr):
    return ast.Lambda(args=_no_args(), body=expr)


def _no_args():
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _str_tuple(names):
    return ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load())


def _load(symbol):
    """``x`` or ``a.b`` as a load expression."""
    parts = symbol.split(".")
    node = name(parts[0])
    for p in parts[1:]:
        node = ast.Attribute(value=node, attr=p, ctx=ast.Load())
    return node


def _store(symbol):
    node = _load(symbol)
    node.ctx = ast.Store()
    return node


# ---------------------------------------------------------------- expressions

class ExprConverter(ast.NodeTransformer):
    """Calls, boolean operators, conditional expressions and (optionally) asserts."""

    def __init__(self, fscope, convert_asserts, self_arg=None):
        self.fscope = fscope
        self.convert_asserts = convert_asserts
        self.deleted = set()
        self.self_arg = self_arg

    def visit_FunctionDef(self, node):  # nested functions are converted on their own
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_For(self, node):
        self.generic_visit(node)
        extra = getattr(node, "_ag_extra_test", None)
        if extra is not None:
            node._ag_extra_test = self.visit(extra)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Name) and f.id == "super" and not node.args and self.self_arg:
            # zero-argument super() also works inside the generated nested functions
            node.args = [name("__class__"), name(self.self_arg)]
            return node
        if isinstance(f, ast.Name) and f.id in _UNCONVERTED_CALLS:
            return node
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "ag__":
            return node
        if (isinstance(f, ast.Attribute) and f.attr == "set_loop_options") or (
                isinstance(f, ast.Name) and f.id == "set_loop_options"):
            return node  # a loop directive, read by the control flow conversion
        args = ast.Tuple(elts=node.args, ctx=ast.Load())
        if node.keywords:
            kwargs = ast.Dict(keys=[ast.Constant(k.arg) if k.arg else None for k in node.keywords],
                              values=[k.value for k in node.keywords])
        else:
            kwargs = ast.Constant(None)
        return ast.copy_location(
            _call(_ag("converted_call"), f, args, kwargs, name(self.fscope)), node)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        fn = "and_" if isinstance(node.op, ast.And) else "or_"
        values = node.values
        expr = values[-1]
        for v in reversed(values[:-1]):
            expr = _call(_ag(fn), _thunk(v), _thunk(expr))
        return ast.copy_location(expr, node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return ast.copy_location(_call(_ag("not_"), node.operand), node)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        text = ast.unparse(node.test)
        return ast.copy_location(_call(_ag("if_exp"), node.test, _thunk(node.body),
                                       _thunk(node.orelse), ast.Constant(text)), node)

    def visit_Delete(self, node):
        """``del x`` makes ``x`` undefined (``x = ag__.Undefined('x')``), as TF's converter."""
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if not names:
            return self.generic_visit(node)
        self.deleted.update(names)
        out = [assign(n, _call(_ag("Undefined"), ast.Constant(n))) for n in names]
        others = [t for t in node.targets if not isinstance(t, ast.Name)]
        if others:
            out.append(ast.Delete(targets=others))
        return [ast.copy_location(s, node) for s in out]

    def visit_Assert(self, node):
        self.generic_visit(node)
        if not self.convert_asserts:
            return node
        msg = node.msg if node.msg is not None else ast.Constant("Assertion error")
        return ast.copy_location(
            ast.Expr(_call(_ag("assert_stmt"), node.test, _thunk(msg))), node)


# ---------------------------------------------------------------- loop directives

def _is_set_loop_options(stmt):
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    f = stmt.value.func
    return (isinstance(f, ast.Attribute) and f.attr == "set_loop_options") or (
        isinstance(f, ast.Name) and f.id == "set_loop_options")


def extract_loop_options(loop):
    """Removes ``tf.autograph.experimental.set_loop_options(...)`` from a loop body and returns
    its keywords as an ``opts`` dict expression."""
    keys, values = [], []
    body = []
    for s in loop.body:
        if _is_set_loop_options(s):
            for kw in s.value.keywords:
                keys.append(ast.Constant(kw.arg))
                values.append(kw.value)
        else:
            body.append(s)
    loop.body = body or [ast.Pass()]
    return keys, values


# ---------------------------------------------------------------- control flow

class _Scope:
    """One generated function scope: the names bound in it so far and the original
    function's ``global``/``nonlocal`` declarations."""

    def __init__(self, defined, decls):
        self.defined = set(defined)
        self.decls = decls  # name -> "global" | "nonlocal"


class ControlFlowConverter:
    """Rewrites ``if``/``while``/``for`` into ``ag__`` operator calls (see module docstring)."""

    def __init__(self, namer):
        self.namer = namer
        self.undefined = set()  # names that may hold ag__.Undefined (their loads use ag__.ld)

    def block(self, stmts, scope):
        out = []
        for s in stmts:
            out.extend(self.stmt(s, scope))
        return out or [ast.Pass()]

    def stmt(self, s, scope):
        if isinstance(s, ast.If) and hasattr(s, "_ag_live_in"):
            return self._if(s, scope)
        if isinstance(s, ast.While) and hasattr(s, "_ag_live_in") and not s.orelse:
            return self._while(s, scope)
        if isinstance(s, ast.For) and hasattr(s, "_ag_live_in") and not s.orelse:
            return self._for(s, scope)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(s, field, None)
            if (not isinstance(s, _SCOPES) and isinstance(block, list) and block
                    and isinstance(block[0], ast.stmt)):
                setattr(s, field, self.block(block, scope))
        for h in getattr(s, "handlers", ()):
            h.body = self.block(h.body, scope)
        names, _ = analysis.bound(s)
        scope.defined |= names
        return [s]

    # ---- state
    def _state(self, s, modified, composites, scope):
        live_in, live_out = s._ag_live_in, s._ag_live_out
        basic = {v for v in modified
                 if v in live_in or v in live_out or scope.decls.get(v) == "nonlocal"}
        comps = {c for c in composites if c.split(".")[0] in live_in}
        input_only = {v for v in basic if v in live_in and v not in live_out}
        ordered = sorted(basic | comps, key=lambda v: (v in input_only, v))
        nouts = len(ordered) - len(input_only)
        undefined = sorted(v for v in basic if v not in scope.defined and v not in scope.decls)
        return ordered, nouts, undefined

    def _decls(self, state, modified, scope):
        """``nonlocal``/``global`` declarations for a generated function that assigns ``state``."""
        nonlocals = [v for v in state if "." not in v and scope.decls.get(v) != "global"]
        globals_ = sorted({v for v in modified if scope.decls.get(v) == "global"}
                          | {v for v in state if scope.decls.get(v) == "global"})
        out = []
        if globals_:
            out.append(ast.Global(names=globals_))
        if nonlocals:
            out.append(ast.Nonlocal(names=nonlocals))
        return out

    def _state_functions(self, state, modified, scope):
        get_name, set_name = self.namer.new("get_state"), self.namer.new("set_state")
        get_fn = _def(get_name, [], [ast.Return(ast.Tuple(
            elts=[_load(v) if "." not in v else _call(_ag("ldu"), _thunk(_load(v)), ast.Constant(v))
                  for v in state], ctx=ast.Load()))])
        get_fn._ag_generated_get_state = True
        if state:
            set_body = self._decls(state, (), scope) + [ast.Assign(
                targets=[ast.Tuple(elts=[_store(v) for v in state], ctx=ast.Store())],
                value=name("vars_"))]
        else:
            set_body = [ast.Pass()]
        set_fn = _def(set_name, ["vars_"], set_body)
        return get_name, set_name, [get_fn, set_fn]

    def _body_scope(self, state, scope):
        return _Scope({v for v in state if "." not in v} | set(scope.decls), scope.decls)

    def _undefined_inits(self, undefined):
        self.undefined.update(undefined)
        return [assign(v, _call(_ag("Undefined"), ast.Constant(v))) for v in undefined]

    # ---- if
    def _if(self, s, scope):
        modified, composites = analysis.bound(s.body + s.orelse)
        state, nouts, undefined = self._state(s, modified, composites, scope)
        get_name, set_name, fns = self._state_functions(state, modified, scope)
        body_name, else_name = self.namer.new("if_body"), self.namer.new("else_body")
        decls = self._decls(state, modified, scope)
        fns.append(_def(body_name, [], decls + self.block(s.body, self._body_scope(state, scope))))
        fns.append(_def(else_name, [], decls + self.block(s.orelse, self._body_scope(state, scope))))
        call = _call(_ag("if_stmt"), s.test, name(body_name), name(else_name), name(get_name),
                     name(set_name), _str_tuple(state), ast.Constant(nouts))
        scope.defined |= {v for v in state if "." not in v}
        return fns + self._undefined_inits(undefined) + [ast.Expr(call)]

    # ---- while
    def _while(self, s, scope):
        keys, values = extract_loop_options(s)
        modified, composites = analysis.bound(s.body)
        state, _, undefined = self._state(s, modified, composites, scope)
        get_name, set_name, fns = self._state_functions(state, modified, scope)
        body_name, test_name = self.namer.new("loop_body"), self.namer.new("loop_test")
        decls = self._decls(state, modified, scope)
        fns.append(_def(body_name, [], decls + self.block(s.body, self._body_scope(state, scope))))
        fns.append(_def(test_name, [], [ast.Return(s.test)]))
        call = _call(_ag("while_stmt"), name(test_name), name(body_name), name(get_name),
                     name(set_name), _str_tuple(state), ast.Dict(keys=keys, values=values))
        scope.defined |= {v for v in state if "." not in v}
        return fns + self._undefined_inits(undefined) + [ast.Expr(call)]

    # ---- for
    def _for(self, s, scope):
        keys, values = extract_loop_options(s)
        itr = self.namer.new("itr")
        s.body = [ast.Assign(targets=[s.target], value=name(itr))] + s.body
        modified, composites = analysis.bound(s.body)
        state, _, undefined = self._state(s, modified, composites, scope)
        get_name, set_name, fns = self._state_functions(state, modified, scope)
        body_name = self.namer.new("loop_body")
        decls = self._decls(state, modified, scope)
        fns.append(_def(body_name, [itr], decls + self.block(s.body, self._body_scope(state, scope))))
        extra = getattr(s, "_ag_extra_test", None)
        if extra is not None:
            test_name = self.namer.new("extra_test")
            fns.append(_def(test_name, [], [ast.Return(extra)]))
            extra_arg = name(test_name)
        else:
            extra_arg = ast.Constant(None)
        keys.append(ast.Constant("iterate_names"))
        values.append(ast.Constant(ast.unparse(s.target)))
        call = _call(_ag("for_stmt"), s.iter, extra_arg, name(body_name), name(get_name),
                     name(set_name), _str_tuple(state), ast.Dict(keys=keys, values=values))
        scope.defined |= {v for v in state if "." not in v}
        return fns + self._undefined_inits(undefined) + [ast.Expr(call)]


def _def(fn_name, args, body):
    node = ast.FunctionDef(
        name=fn_name, args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=a) for a in args],
                                         vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                                         defaults=[]),
        body=body or [ast.Pass()], decorator_list=[], returns=None)
    if "type_params" in ast.FunctionDef._fields:
        node.type_params = []
    return node


class _LoadWrapper(ast.NodeTransformer):
    """Loads of possibly-undefined variables go through ``ag__.ld`` (UnboundLocalError)."""

    def __init__(self, names):
        self.names = names

    def visit_FunctionDef(self, node):
        if getattr(node, "_ag_generated_get_state", False):
            return node
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.names:
            return ast.copy_location(_call(_ag("ld"), node), node)
        return node


# ---------------------------------------------------------------- functions

def _declared(node):
    decls = {}
    stack = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Global):
            decls.update((v, "global") for v in n.names)
        elif isinstance(n, ast.Nonlocal):
            decls.update((v, "nonlocal") for v in n.names)
        elif not isinstance(n, _SCOPES):
            stack.extend(ast.iter_child_nodes(n))
    return decls


def _arg_names(args):
    out = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if args.vararg:
        out.append(args.vararg.arg)
    if args.kwarg:
        out.append(args.kwarg.arg)
    return out


def _is_generator(node):
    stack = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)):
            return True
        if not isinstance(n, _SCOPES):
            stack.extend(ast.iter_child_nodes(n))
    return False


def strip_signature(node):
    """Drops decorators, annotations and default values (the converted function reuses the
    original's ``__defaults__``/``__kwdefaults__`` objects)."""
    node.decorator_list = []
    node.returns = None
    args = node.args
    for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if a is not None:
            a.annotation = None
    args.defaults = []
    args.kw_defaults = [None] * len(args.kwonlyargs)


def convert_function_body(node, namer, options, top_level):
    """Converts ``node`` (a FunctionDef) in place: lowering, expressions, control flow."""
    if isinstance(node, ast.AsyncFunctionDef) or _is_generator(node):
        raise UnsupportedLanguageElementError("generators are not supported")
    if top_level:
        _UnsupportedChecker().visit(node)
    body = node.body
    doc = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        doc, body = body[:1], body[1:]
    decls = _declared(node)

    # 1. jumps
    body = lowering.normalize_returns(body)
    body = lowering.lower_loops(body, namer)
    returns = lowering.has_return(body)
    if returns:
        do_return, retval = namer.new("do_return"), namer.new("retval_")
        body, _ = lowering.ReturnLowering(do_return, retval).block(body)

    # nested function definitions are converted on their own
    for sub in _nested_defs(body):
        if not sub.decorator_list and not _is_generator(sub) and not isinstance(
                sub, ast.AsyncFunctionDef):
            convert_function_body(sub, namer, options, top_level=False)

    # 2. expressions
    fscope = options["fscope"]
    positional = node.args.posonlyargs + node.args.args
    self_arg = positional[0].arg if positional and options.get("method") else None
    conv = ExprConverter(fscope, options.get("asserts", False), self_arg)
    body = _flatten([conv.visit(s) for s in body])

    if returns:
        init = [assign(do_return, ast.Constant(False)),
                assign(retval, _call(_ag("UndefinedReturnValue")))]
        ret_call = (_call(ast.Attribute(value=name(fscope), attr="ret", ctx=ast.Load()),
                          name(retval), name(do_return)) if top_level
                    else _call(_ag("retval"), name(retval)))
        body = init + body + [ast.Return(ret_call)]

    # 3. control flow
    analysis.annotate_liveness(body)
    cf = ControlFlowConverter(namer)
    body = cf.block(body, _Scope(set(_arg_names(node.args)), decls))
    if cf.undefined or conv.deleted:
        body = [_LoadWrapper(cf.undefined | conv.deleted).visit(s) for s in body]

    if top_level:
        opts = ast.Call(func=_ag("ConversionOptions"), args=[], keywords=[
            ast.keyword(arg="recursive", value=ast.Constant(True)),
            ast.keyword(arg="user_requested", value=ast.Constant(True)),
            ast.keyword(arg="optional_features", value=ast.Tuple(elts=[
                ast.Attribute(value=_ag("Feature"), attr="ASSERT_STATEMENTS", ctx=ast.Load())]
                if options.get("asserts") else [], ctx=ast.Load())),
            ast.keyword(arg="internal_convert_user_code", value=ast.Constant(True))])
        scope_call = _call(_ag("FunctionScope"), ast.Constant(options.get("name", node.name)),
                           ast.Constant(fscope), opts)
        body = [ast.With(items=[ast.withitem(context_expr=scope_call,
                                             optional_vars=name(fscope, True))], body=body)]
    node.body = doc + body
    return node


def _flatten(stmts):
    out = []
    for s in stmts:
        out.extend(s if isinstance(s, list) else [s])
    return out


def _nested_defs(stmts):
    stack = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield n
        elif not isinstance(n, (ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(n))


def convert_lambda(node, fscope):
    """A lambda: only its expression is converted (calls, boolean ops, conditionals)."""
    return ExprConverter(fscope, False).visit(node)


__all__ = ["ConversionError", "convert_function_body", "convert_lambda", "strip_signature"]
