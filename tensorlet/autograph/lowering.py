"""Lowers ``return``, ``break`` and ``continue`` to flag variables and guarded blocks.

After these passes a function body has no jumps, so it can be cut into the branch and loop-body
functions that ``if_stmt``/``while_stmt``/``for_stmt`` call (TF's ``return_statements``,
``break_statements`` and ``continue_statements`` converters):

    while c:                      break_ = False
        if d:                     while c and not break_:
            break         ->          if d:
        x += 1                            break_ = True
                                      if not break_:
                                          x += 1

``for`` loops take their extra condition through ``_ag_extra_test`` (``for_stmt``'s extra test).
"""
import ast

_LOOPS = (ast.For, ast.While)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class Namer:
    """Fresh names that clash with nothing the function mentions."""

    def __init__(self, node):
        self.used = set()
        for n in ast.walk(node):
            if isinstance(n, ast.Name):
                self.used.add(n.id)
            elif isinstance(n, ast.arg):
                self.used.add(n.arg)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.used.add(n.name)
            elif isinstance(n, (ast.Global, ast.Nonlocal)):
                self.used.update(n.names)

    def new(self, base):
        name, i = base, 0
        while name in self.used:
            i += 1
            name = f"{base}_{i}"
        self.used.add(name)
        return name


def name(id_, store=False):
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def assign(id_, value):
    return ast.Assign(targets=[name(id_, True)], value=value)


def not_(expr):
    return ast.UnaryOp(op=ast.Not(), operand=expr)


def and_(a, b):
    return ast.BoolOp(op=ast.And(), values=[a, b])


def _guard(var, block):
    return ast.If(test=not_(name(var)), body=block, orelse=[])


def _contains(stmts, kinds, into_loops):
    """True if a statement of ``kinds`` occurs in ``stmts`` (not inside nested functions)."""
    stack = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, kinds):
            return True
        if isinstance(n, _SCOPES):
            continue
        if not into_loops and isinstance(n, _LOOPS):
            stack.extend(n.orelse)  # a jump in a loop's else belongs to the enclosing loop
            continue
        stack.extend(c for c in ast.iter_child_nodes(n) if isinstance(c, ast.stmt)
                     or isinstance(c, ast.excepthandler))
    return False


# ---------------------------------------------------------------- return normalization

def normalize_returns(stmts):
    """``if c: return a`` followed by more code moves that code into the ``else`` (and
    vice versa), so both branches of a staged conditional define the return value."""
    return _norm_block(stmts)[0]


def _norm_block(stmts):
    new, dest, returns = [], None, False
    dest = new
    for s in stmts:
        stmt_returns = _norm_stmt(s)
        dest.append(s)
        returns = returns or stmt_returns
        if isinstance(s, ast.If):
            if s._ag_body_returns:
                dest = s.orelse
            elif s._ag_orelse_returns:
                dest = s.body
    return new, returns


def _norm_stmt(s):
    if isinstance(s, ast.Return):
        return True
    if isinstance(s, ast.If):
        s.body, b = _norm_block(s.body)
        s.orelse, o = _norm_block(s.orelse)
        s._ag_body_returns, s._ag_orelse_returns = b, o
        return b and o
    if isinstance(s, (ast.For, ast.While)):
        s.body = _norm_block(s.body)[0]
        s.orelse = _norm_block(s.orelse)[0]
        return False
    if isinstance(s, ast.With):
        s.body, r = _norm_block(s.body)
        return r
    if isinstance(s, ast.Try):
        s.body = _norm_block(s.body)[0]
        s.orelse = _norm_block(s.orelse)[0]
        s.finalbody = _norm_block(s.finalbody)[0]
        for h in s.handlers:
            h.body = _norm_block(h.body)[0]
        return False
    return False


# ---------------------------------------------------------------- break / continue

def lower_loops(stmts, namer):
    """Lowers ``break`` and ``continue`` in every loop of ``stmts`` (innermost first)."""
    out = []
    for s in stmts:
        out.extend(_lower_loops_stmt(s, namer))
    return out


def _lower_loops_stmt(s, namer):
    if isinstance(s, _SCOPES):
        return [s]
    for field in ("body", "orelse", "finalbody"):
        block = getattr(s, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            setattr(s, field, lower_loops(block, namer))
    for h in getattr(s, "handlers", ()):
        h.body = lower_loops(h.body, namer)
    if not isinstance(s, _LOOPS):
        return [s]
    pre, post = [], []
    if _contains(s.body, ast.Break, into_loops=False):
        var = namer.new("break_")
        s.body = _replace_jumps(s.body, ast.Break, var)
        pre.append(assign(var, ast.Constant(False)))
        if isinstance(s, ast.While):
            s.test = and_(s.test, not_(name(var)))
        else:
            s._ag_extra_test = not_(name(var))
        if s.orelse:
            post.append(_guard(var, s.orelse))
    elif s.orelse:
        post.extend(s.orelse)
    s.orelse = []
    if _contains(s.body, ast.Continue, into_loops=False):
        var = namer.new("continue_")
        s.body = [assign(var, ast.Constant(False))] + _replace_jumps(s.body, ast.Continue, var)
    return pre + [s] + post


def _replace_jumps(stmts, kind, var):
    """Replaces jumps of ``kind`` by ``var = True`` and guards what follows them."""
    out, dest, pending = [], None, False
    dest = out
    for s in stmts:
        if pending:
            g = _guard(var, [])
            dest.append(g)
            dest = g.body
            pending = False
        if isinstance(s, kind):
            dest.append(assign(var, ast.Constant(True)))
            pending = True
            continue
        has = _contains([s], kind, into_loops=False)
        if has:
            _replace_in_children(s, kind, var)
            pending = True
        dest.append(s)
    return out


def _replace_in_children(s, kind, var):
    if isinstance(s, (_SCOPES + _LOOPS)):
        if isinstance(s, _LOOPS):  # only its else clause can hold our jump
            s.orelse = _replace_jumps(s.orelse, kind, var)
        return
    for field in ("body", "orelse", "finalbody"):
        block = getattr(s, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            setattr(s, field, _replace_jumps(block, kind, var))
    for h in getattr(s, "handlers", ()):
        h.body = _replace_jumps(h.body, kind, var)


# ---------------------------------------------------------------- return

class ReturnLowering:
    """``return v`` becomes ``do_return = True; retval_ = v``; later code is guarded."""

    def __init__(self, do_return, retval):
        self.do_return = do_return
        self.retval = retval

    def block(self, stmts):
        out, dest, pending, used = [], None, False, False
        dest = out
        for s in stmts:
            if pending:
                g = _guard(self.do_return, [])
                dest.append(g)
                dest = g.body
                pending = False
            new, u = self.stmt(s)
            dest.extend(new)
            if u:
                pending = used = True
        return out, used

    def stmt(self, s):
        if isinstance(s, ast.Return):
            # the try keeps the flags consistent when evaluating the value raises (as TF)
            value = s.value if s.value is not None else ast.Constant(None)
            body = [assign(self.do_return, ast.Constant(True)), assign(self.retval, value)]
            handler = ast.ExceptHandler(type=None, name=None, body=[
                assign(self.do_return, ast.Constant(False)), ast.Raise(exc=None, cause=None)])
            return [ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[])], True
        if isinstance(s, _SCOPES):
            return [s], False
        used = False
        for field in ("body", "orelse", "finalbody"):
            block = getattr(s, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                new, u = self.block(block)
                setattr(s, field, new)
                used = used or u
        for h in getattr(s, "handlers", ()):
            h.body, u = self.block(h.body)
            used = used or u
        if used and isinstance(s, ast.While):
            s.test = and_(not_(name(self.do_return)), s.test)
        elif used and isinstance(s, ast.For):
            extra = getattr(s, "_ag_extra_test", None)
            test = not_(name(self.do_return))
            s._ag_extra_test = test if extra is None else and_(test, extra)
        return [s], used


def has_return(stmts):
    return _contains(stmts, ast.Return, into_loops=True)


__all__ = ["Namer", "ReturnLowering", "has_return", "lower_loops", "normalize_returns"]
