"""Static analysis of a function's AST for AutoGraph: which names a statement binds and reads,
and which names are live into and out of each ``if``/``while``/``for`` statement.

Liveness decides the state of a converted statement (TF's rule): a variable modified inside the
statement is a branch/loop variable only if its value is used afterwards or was used on entry;
other modified variables stay local to the generated body functions. The analysis runs after
``break``/``continue``/``return`` are lowered to flag variables, so blocks have no jumps.
"""
import ast

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def qual_name(node):
    """``a.b.c`` for an attribute chain rooted at a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or not parts:
        return None
    return ".".join([node.id] + parts[::-1])


def _target_names(target, names, composites):
    if isinstance(target, ast.Name):
        names.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for e in target.elts:
            _target_names(e, names, composites)
    elif isinstance(target, ast.Starred):
        _target_names(target.value, names, composites)
    elif isinstance(target, ast.Attribute):
        q = qual_name(target)
        if q is not None:
            composites.add(q)


class _Binder(ast.NodeVisitor):
    """Collects the names (and ``a.b`` composites) a block binds in its own scope."""

    def __init__(self):
        self.names = set()
        self.composites = set()

    def visit_Assign(self, node):
        for t in node.targets:
            _target_names(t, self.names, self.composites)
        self.visit(node.value)

    def visit_AugAssign(self, node):
        _target_names(node.target, self.names, self.composites)
        self.visit(node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            _target_names(node.target, self.names, self.composites)
            self.visit(node.value)

    def visit_For(self, node):
        _target_names(node.target, self.names, self.composites)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node):
        if node.optional_vars is not None:
            _target_names(node.optional_vars, self.names, self.composites)
        self.visit(node.context_expr)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.names.add(node.name)
        for s in node.body:
            self.visit(s)

    def visit_Import(self, node):
        for a in node.names:
            self.names.add(a.asname or a.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_NamedExpr(self, node):
        _target_names(node.target, self.names, self.composites)
        self.visit(node.value)

    def visit_FunctionDef(self, node):
        self.names.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node):
        pass

    def _comprehension(self, node):  # only walrus targets leak out of a comprehension
        for sub in ast.walk(node):
            if isinstance(sub, ast.NamedExpr):
                _target_names(sub.target, self.names, self.composites)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


def bound(stmts):
    """``(names, composites)`` bound by ``stmts`` in the enclosing scope."""
    b = _Binder()
    for s in stmts if isinstance(stmts, list) else [stmts]:
        b.visit(s)
    return b.names, b.composites


def reads(node):
    """Every name read anywhere inside ``node`` (nested functions included, conservatively)."""
    if node is None:
        return set()
    out = set()
    for n in ast.walk(node) if not isinstance(node, list) else _walk_all(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.add(n.id)
        elif isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
            out.add(n.target.id)
    return out


def _walk_all(nodes):
    for n in nodes:
        yield from ast.walk(n)


def _direct_kills(stmt):
    """Names that a simple statement certainly (re)binds."""
    names, _ = bound(stmt)
    return names


def annotate_liveness(body):
    """Sets ``_ag_live_in``/``_ag_live_out`` on every ``If``/``While``/``For`` of ``body``."""
    _live_block(body, frozenset())


def _live_block(stmts, out):
    live = set(out)
    for s in reversed(stmts):
        live = _live_stmt(s, live)
    return live


def _live_stmt(s, out):
    out = set(out)
    if isinstance(s, ast.If):
        live_in = reads(s.test) | _live_block(s.body, out) | _live_block(s.orelse, out)
        s._ag_live_out, s._ag_live_in = frozenset(out), frozenset(live_in)
        return live_in
    if isinstance(s, ast.While):
        exit_live = _live_block(s.orelse, out) if s.orelse else out
        head = set(exit_live) | reads(s.test)
        while True:
            new = set(exit_live) | reads(s.test) | _live_block(s.body, head)
            if new == head:
                break
            head = new
        s._ag_live_out, s._ag_live_in = frozenset(out), frozenset(head)
        return head
    if isinstance(s, ast.For):
        exit_live = _live_block(s.orelse, out) if s.orelse else out
        targets, _ = bound([ast.Assign(targets=[s.target], value=ast.Constant(None))])
        extra = reads(getattr(s, "_ag_extra_test", None))
        head = set(exit_live) | extra
        while True:
            new = set(exit_live) | extra | (_live_block(s.body, head) - targets)
            if new == head:
                break
            head = new
        s._ag_live_out, s._ag_live_in = frozenset(out), frozenset(head)
        return head | reads(s.iter)
    if isinstance(s, (ast.With, ast.AsyncWith)):
        names, _ = bound([ast.withitem(context_expr=ast.Constant(None), optional_vars=i.optional_vars)
                          for i in s.items if i.optional_vars is not None])
        live = _live_block(s.body, out) - names
        for item in s.items:
            live |= reads(item.context_expr)
        return live
    if isinstance(s, ast.Try):
        final = _live_block(s.finalbody, out)
        handlers = set()
        for h in s.handlers:
            handlers |= _live_block(h.body, final) | reads(h.type)
        orelse = _live_block(s.orelse, final)
        body = _live_block(s.body, orelse | handlers | final)
        return body | handlers | final
    if isinstance(s, _SCOPES[:3]):
        return (out - {s.name}) | reads(s)
    if isinstance(s, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Import, ast.ImportFrom)):
        return (out - _direct_kills(s)) | reads(s)
    return out | reads(s)


__all__ = ["annotate_liveness", "bound", "qual_name", "reads"]
